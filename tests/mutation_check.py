"""Show that the suite catches a wrong method: put one deliberate break
into the code, run the tests that guard it, restore the file, repeat.

    .venv/bin/python tests/mutation_check.py [NAME ...]   # ~7 min for all

Each break must fail at least one test; the last run's output is quoted
in docs/benchmarks.md ("Tests that catch a wrong method").
"""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
CMD = 'cmd_plugin/models/selfsup/cmd.py'
MUTATIONS = {
 'nce_other_modality_key': (CMD, "self.contrast_loss(q[m], k[m],",
   "self.contrast_loss(q[m], k[self.modalities[(self.modalities.index(m) + 1) % len(self.modalities)]],"),
 'kd_teacher_reads_student_queue': (CMD, "teacher_queue=queues[a],", "teacher_queue=queues[b],"),
 'kd_student_scored_on_teacher_queue': (CMD, "student_queue=queues[b])", "student_queue=queues[a])"),
 'query_and_key_same_view': (CMD, "x_query, x_key = inputs[:, 0], inputs[:, 1]", "x_query, x_key = inputs[:, 0], inputs[:, 0]"),
 'negatives_after_enqueue': (CMD, "        queues = self.queues.snapshot()\n", "        self.enqueue(k)\n        queues = self.queues.snapshot()\n"),
 'ema_skipped': ('cmd_plugin/models/selfsup/base.py', "            key_encoder.update_parameters(self.query_encoders[name])", "            pass"),
 'cached_label_shift': ('cmd_plugin/engine/loops/cached_feature_loop.py',
   "cache.extend(zip(feats, data['data_samples']))",
   "cache.extend(zip(feats, data['data_samples'][1:] + data['data_samples'][:1]))"),
 'resize_grid_align_corners': ('cmd_plugin/datasets/transforms/temporal.py',
   "                    align_corners: bool = False) -> np.ndarray:", "                    align_corners: bool = True) -> np.ndarray:"),
}
TESTS = ['tests/parity', 'tests/models/test_cmd.py', 'tests/engine/test_cached_feature_loop.py', 'tests/tools/test_learning_e2e.py']
names = sys.argv[1:] or list(MUTATIONS)
for name in names:
    path, old, new = MUTATIONS[name]
    f = ROOT / path
    text = f.read_text()
    assert text.count(old) >= 1, (name, old)
    if name == 'negatives_after_enqueue':
        mutated = text.replace(old, new).replace("        self.enqueue(k)\n        return losses", "        return losses")
    else:
        mutated = text.replace(old, new)
    f.write_text(mutated)
    try:
        p = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-n', '2', '-p', 'no:cacheprovider'] + TESTS,
                           cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, OMP_NUM_THREADS='1'))
        failed = [l.split(' ')[1] for l in p.stdout.splitlines() if l.startswith('FAILED')]
        summary = p.stdout.strip().splitlines()[-1]
        print(f'## {name}: {summary}')
        for t in failed: print('   ', t)
    finally:
        f.write_text(text)
