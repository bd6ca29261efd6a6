import subprocess
import sys


def test_import_mmaction_models_after_plugin():
    code = ('import cmd_plugin, mmaction.models, sys; '
            'from mmaction.registry import MODELS; '
            "assert MODELS.get('STGCN') is not None; "
            "stub = sys.modules['mmaction.models.localizers.drn']; "
            'print(stub.__name__)')
    out = subprocess.run([sys.executable, '-c', code],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_stub_drn_raises_when_used():
    from cmd_plugin.compat.mmaction_drn import DRN
    try:
        DRN()
    except RuntimeError as err:
        assert 'drn' in str(err).lower()
    else:
        raise AssertionError('DRN stub must refuse to build')
