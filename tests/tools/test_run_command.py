"""The suite's runner of multi-process commands: a hung run is killed with
its whole process group, and run once more only when asked."""
import os

import pytest

from tests.conftest import run_command


def test_a_hang_is_killed_with_its_group_and_retried_once(tmp_path):
    marker, child = tmp_path / 'ran', tmp_path / 'child.pid'
    # the first run hangs in a grandchild (as a rank's worker would)
    script = (f'if [ -e {marker} ]; then echo second; exit 0; fi; '
              f'touch {marker}; sleep 300 & echo $! > {child}; wait')
    proc = run_command(['bash', '-c', script], dict(os.environ), timeout=3,
                       retry_hang=True)
    assert proc.returncode == 0 and proc.stdout.strip() == 'second'
    pid = int(child.read_text())
    with pytest.raises(ProcessLookupError):  # killed with the group
        os.kill(pid, 0)


def test_without_retry_a_hang_fails_with_its_output(tmp_path):
    with pytest.raises(AssertionError, match='(?s)attempt 1 hung.*before'):
        run_command(['bash', '-c', 'echo before; sleep 300'],
                    dict(os.environ), timeout=2)
