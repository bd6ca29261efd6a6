"""Per-stream and fused accuracy of ``tools/test.py --dump`` files.

Each stream (joint, motion, bone) is tested on its own and dumped; the
fusion adds their class scores with per-stream weights. Both the accuracies
and the fusion come from the script MMAction2 ships,
``tools/analysis_tools/report_accuracy.py``, run once per dump and once on
all of them; here we check first that the dumps hold the same samples in
the same order (that script zips them blindly) and put its numbers in one
table.

Dumps are pickles, as MMAction2 writes and reads them: load only your own.
"""
import contextlib
import io
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence

from mmengine import load

from ..launch.tool import run_mmaction_script

TOOL = 'analysis_tools/report_accuracy.py'
# what the shipped script prints, e.g. "Top 1 Accuracy: 0.8333"
_LINE = re.compile(r'^([A-Za-z][A-Za-z0-9 ]*): (-?[0-9.]+(?:e-?[0-9]+)?)$')
COLUMNS = (('Top 1 Accuracy', 'top-1'), ('Top 5 Accuracy', 'top-5'),
           ('Mean Class Accuracy', 'mean class'))


class DumpMismatchError(ValueError):
    """The dumps do not hold the same samples in the same order."""


def _label(sample: dict, path: str, index: int):
    if not isinstance(sample, dict) or 'gt_label' not in sample \
            or 'pred_score' not in sample:
        raise DumpMismatchError(
            f'{path}: sample {index} has no gt_label/pred_score; give a '
            'file written by tools/test.py CONFIG CKPT --dump FILE.pkl')
    label = sample['gt_label']
    return label.tolist() if hasattr(label, 'tolist') else label


def _num_classes(dump: list, path: str) -> int:
    widths = {len(s['pred_score']) for s in dump}
    if len(widths) != 1:
        raise DumpMismatchError(
            f'{path} holds scores over {sorted(widths)} classes; a dump of '
            'one test run scores every sample over the same classes')
    return widths.pop()


def check_same_samples(paths: Sequence[str]) -> int:
    """Raise :class:`DumpMismatchError` unless every dump has as many
    samples as the first, scores over as many classes, and the same gt
    label at every position.

    Returns:
        int: The number of samples.
    """
    first = None
    for path in paths:
        dump = load(path)
        if not isinstance(dump, list) or not dump:
            raise DumpMismatchError(
                f'{path} holds no list of samples; give a file written by '
                'tools/test.py CONFIG CKPT --dump FILE.pkl')
        labels = [_label(s, path, i) for i, s in enumerate(dump)]
        classes = _num_classes(dump, path)
        if first is None:
            first = (path, labels, classes)
            continue
        ref_path, ref, ref_classes = first
        if classes != ref_classes:
            raise DumpMismatchError(
                f'{path} scores {classes} classes, {ref_path} scores '
                f'{ref_classes}: the streams were trained for different class '
                'counts. Fuse dumps of one dataset, each evaluated with its '
                'model.cls_head.num_classes.')
        if len(labels) != len(ref):
            raise DumpMismatchError(
                f'{path} has {len(labels)} samples, {ref_path} has '
                f'{len(ref)}: they are dumps of different test sets. Dump '
                'every stream with the same test split and annotation file.')
        for i, (a, b) in enumerate(zip(ref, labels)):
            if a != b:
                raise DumpMismatchError(
                    f'sample {i}: gt label {a} in {ref_path}, {b} in {path}'
                    ': the dumps are not the same samples in the same '
                    'order. Dump every stream from the same test split and '
                    'annotation file (the test loader does not shuffle).')
    return len(first[1])


def shipped_report(paths: Sequence[str], coefficients: Sequence[float],
                   apply_softmax: bool = False) -> Dict[str, float]:
    """Run MMAction2's report_accuracy.py; ``{printed name: value}``."""
    argv = ['--preds', *paths, '--coefficients',
            *[repr(float(c)) for c in coefficients]]
    if apply_softmax:
        argv.append('--apply-softmax')
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        run_mmaction_script(TOOL, argv)
    found = {}
    for line in out.getvalue().splitlines():
        match = _LINE.match(line.strip())
        if match:
            found[match.group(1)] = float(match.group(2))
    if not found:
        raise RuntimeError(f'MMAction2\'s {TOOL} printed no accuracy: '
                           f'{out.getvalue()!r}')
    return found


def stream_name(path: str) -> str:
    return osp.splitext(osp.basename(path))[0]


def fusion_report(paths: Sequence[str],
                  coefficients: Optional[Sequence[float]] = None,
                  apply_softmax: bool = False) -> List[Dict]:
    """One row per dump, then the fusion: ``name``, ``coefficient`` and
    the shipped script's numbers.

    Args:
        paths: ``tools/test.py --dump`` files, one per stream.
        coefficients: Weight of each stream's scores; all 1 (equal) when
            None.
        apply_softmax: Softmax each stream's scores before adding them
            (the shipped script's ``--apply-softmax``).
    """
    paths = list(paths)
    if coefficients is None:
        coefficients = [1.0] * len(paths)
    if len(coefficients) != len(paths):
        raise ValueError(
            f'{len(coefficients)} coefficients for {len(paths)} dumps; '
            'give one per --preds file, in the same order')
    check_same_samples(paths)
    rows = [
        dict(name=stream_name(p), coefficient=float(c),
             **shipped_report([p], [1.0], apply_softmax))
        for p, c in zip(paths, coefficients)
    ]
    if len(paths) > 1:
        rows.append(dict(name='fusion', coefficient=None,
                         **shipped_report(paths, coefficients,
                                          apply_softmax)))
    return rows


def format_table(rows: List[Dict]) -> str:
    """Accuracies in percent, one line per row."""
    head = ['stream', 'weight'] + [short for _, short in COLUMNS]
    lines = [head]
    for row in rows:
        weight = row['coefficient']
        lines.append([row['name'], '' if weight is None else f'{weight:g}']
                     + [f'{100 * row[key]:.2f}' if key in row else '-'
                        for key, _ in COLUMNS])
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = ['  '.join(cell.rjust(w) if i else cell.ljust(w)
                      for i, (cell, w) in enumerate(zip(line, widths)))
            for line in lines]
    text.insert(1, '-' * len(text[0]))
    return '\n'.join(text)
