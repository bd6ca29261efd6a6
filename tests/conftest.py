import os
import os.path as osp
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


def run_tool(args, env=None, timeout=900, cwd=ROOT, check=True):
    """Run a project script with this interpreter; fail with its output
    (unless ``check`` is False)."""
    full_env = dict(os.environ, PYTHON=sys.executable, OMP_NUM_THREADS='1')
    full_env.update(env or {})
    cmd = args if args[0] == 'bash' else [sys.executable] + args
    proc = subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)
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
