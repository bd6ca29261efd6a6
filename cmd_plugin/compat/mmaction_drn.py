"""Work around the mmaction2 1.2.0 wheel that lacks ``localizers/drn``.

The wheel's ``mmaction/models/localizers/__init__.py`` imports ``.drn.drn``
but the folder has no ``__init__.py`` and is left out of the wheel
(open-mmlab/mmaction2#2714), so every ``import mmaction.models`` -- which the
registry does lazily inside every Runner -- fails. We register stand-in
modules before anything imports ``mmaction.models``. The check looks at the
file system: ``importlib.util.find_spec`` on the submodule would import the
broken parent package.
"""
import importlib.util
import os.path as osp
import sys
import types

_DRN = 'mmaction.models.localizers.drn'


class DRN:
    """Placeholder for the localizer the installed wheel does not ship."""

    def __init__(self, *args, **kwargs) -> None:
        raise RuntimeError(
            'DRN is missing from this mmaction2 1.2.0 installation (the wheel '
            'omits mmaction/models/localizers/drn). Install mmaction2 from '
            'source to use DRN; cmd_plugin only stubs it so that '
            '`import mmaction.models` works.')


def drn_folder_missing() -> bool:
    spec = importlib.util.find_spec('mmaction')
    if spec is None or not spec.submodule_search_locations:
        return False
    root = list(spec.submodule_search_locations)[0]
    return not osp.isfile(
        osp.join(root, 'models', 'localizers', 'drn', '__init__.py'))


def install_drn_stub() -> bool:
    """Put stub ``drn`` modules into ``sys.modules`` when the wheel lacks them.

    Returns:
        bool: Whether a stub was installed.
    """
    if _DRN in sys.modules or not drn_folder_missing():
        return False
    package = types.ModuleType(_DRN)
    package.__path__ = []  # a package, so ``from .drn import DRN`` resolves
    module = types.ModuleType(_DRN + '.drn')
    module.DRN = DRN
    package.drn = module
    package.DRN = DRN
    sys.modules[_DRN] = package
    sys.modules[_DRN + '.drn'] = module
    return True
