import os
import os.path as osp
import signal
import socket
import subprocess
import sys
import tempfile

import pytest

# annotation records read by the tests stay out of the user's cache
os.environ['CMD_PLUGIN_CACHE'] = tempfile.mkdtemp(prefix='cmd_plugin_cache_')

import cmd_plugin  # noqa: F401,I001,E402  (compat fixes before mmaction.models)
from mmaction.utils import register_all_modules  # noqa: I001

# build tiny pipelines/models outside a Runner, as MMAction2's tests do
register_all_modules(init_default_scope=True)

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
# the commands' own modules (tools import siblings as scripts do; the
# tests import them the same way)
sys.path[:0] = [osp.join(ROOT, 'tools', 'analysis_tools'),
                osp.join(ROOT, 'tools', 'benchmarks')]
UCLA_DIR = osp.join(ROOT, '..', 'shared', 'data', 'nw-ucla')


def run_command(cmd, env, timeout, cwd=ROOT, retry_hang=False):
    """Run ``cmd`` in its own process group; on a timeout kill the whole
    group (torchrun's ranks and their DataLoader workers too, which would
    otherwise outlive the test).

    ``retry_hang``: run once more after a hang. CPython 3.11 can deadlock
    a child inside ``os.fork()`` (``PyOS_AfterFork_Child`` waits for the
    runtime's thread-state lock, held at the fork by another thread):
    seen once here in a DataLoader worker forked by a rank of a 2-process
    gloo run. The race is the interpreter's; a deadlock of the code hangs
    both attempts and fails with both tails.
    """
    tails = []
    for attempt in range(2 if retry_hang else 1):
        if attempt and 'PORT' in env:  # the killed rendezvous may linger
            env = dict(env, PORT=str(free_port()))
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, text=True,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
            return subprocess.CompletedProcess(cmd, proc.returncode, out,
                                               err)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            tails.append(f'--- attempt {attempt + 1} hung for {timeout} s; '
                         f'stdout ---\n{out[-3000:]}\n--- stderr ---\n'
                         f'{err[-3000:]}')
            sys.stderr.write(f'{" ".join(cmd)} hung for {timeout} s '
                             f'(attempt {attempt + 1})\n')
    raise AssertionError('\n'.join([f'{" ".join(cmd)} hung'] + tails))


def run_tool(args, env=None, timeout=900, cwd=ROOT, check=True,
             retry_hang=False):
    """Run a project script with this interpreter; fail with its output
    (unless ``check`` is False). ``retry_hang``: see :func:`run_command`."""
    full_env = dict(os.environ, PYTHON=sys.executable, OMP_NUM_THREADS='1')
    full_env.update(env or {})
    cmd = args if args[0] == 'bash' else [sys.executable] + args
    proc = run_command(cmd, full_env, timeout, cwd, retry_hang)
    if check and proc.returncode != 0:
        raise AssertionError(
            f'{" ".join(cmd)} exited {proc.returncode}\n'
            f'--- stdout ---\n{proc.stdout[-6000:]}\n'
            f'--- stderr ---\n{proc.stderr[-6000:]}')
    return proc


class LogLines:
    """``with LogLines() as lines:`` collects what MMEngine's current
    logger says inside the block."""

    def __enter__(self):
        import logging

        from mmengine.logging import MMLogger

        class Collect(logging.Handler):

            def __init__(self):
                super().__init__()
                self.lines = []

            def emit(self, record):
                self.lines.append(record.getMessage())

        self._logger = MMLogger.get_current_instance()
        self._handler = Collect()
        self._logger.addHandler(self._handler)
        return self._handler.lines

    def __exit__(self, *exc):
        self._logger.removeHandler(self._handler)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='session')
def synthetic_pkl(tmp_path_factory):
    """A small synthetic NTU-25 skeleton set (train/val), made once."""
    out = tmp_path_factory.mktemp('synthetic') / 'synthetic.pkl'
    run_tool(['tools/data/make_synthetic.py', '--out', str(out), '--seed',
              '0', '--per-class', '12'])
    return str(out)
