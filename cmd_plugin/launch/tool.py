"""Run MMAction2's own train/test tools with the plugin loaded.

``tools/train.py`` and ``tools/test.py`` of this repository call
:func:`run_mmaction_tool`: it imports the plugin (compat fixes, registries),
prepares CPU-only distributed runs, and executes the script MMAction2 ships in
its wheel, so no code of those tools is copied here.
"""
import copy
import os
import os.path as osp
import runpy
import sys
from typing import List, Optional

import torch
import torch.distributed as torch_dist

from .preflight import CHECKED_ENV, check_command, load_command_config
from .preflight import report as report_missing

_WRAPPER_OPTION = 'model_wrapper_cfg.type=BufferPreservingDDP'


def _is_rank_zero() -> bool:
    return os.environ.get('RANK', '0') == '0'


def mmaction_tool_path(name: str) -> str:
    """Path of a script MMAction2 ships, e.g. ``'train.py'``."""
    import mmaction
    root = osp.dirname(mmaction.__file__)
    candidates = [
        osp.join(root, '.mim', 'tools', name),  # wheel / mim install
        osp.join(osp.dirname(root), 'tools', name),  # source checkout
    ]
    for path in candidates:
        if osp.isfile(path):
            return path
    raise FileNotFoundError(
        f'cannot find MMAction2\'s tools/{name} (looked in {candidates}); '
        'reinstall mmaction2==1.2.0 with pip or mim')


def _launcher(argv: List[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == '--launcher' and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith('--launcher='):
            return arg.split('=', 1)[1]
    return 'none'


def prepare_cpu_distributed(argv: List[str]) -> List[str]:
    """Make ``--launcher pytorch`` work on CPU-only torch.

    MMEngine's ``init_dist`` calls ``torch.cuda.set_device`` and dies without
    CUDA, but the Runner skips it when a process group already exists; so we
    start gloo here. The Runner's default DDP wrapper passes
    ``device_ids=[LOCAL_RANK]``, which CPU modules reject, hence
    :class:`BufferPreservingDDP` unless the command line names a wrapper.
    ``SyncBatchNorm`` needs CUDA, so a config's ``sync_bn`` is overridden
    with None (plain per-process BatchNorm), said once by rank 0.

    Returns:
        list[str]: ``argv``, possibly with a ``--cfg-options`` entry added.
    """
    if (_launcher(argv) != 'pytorch' or torch.cuda.is_available()
            or 'WORLD_SIZE' not in os.environ):
        return argv
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(backend='gloo')
    options = []
    if not any('model_wrapper_cfg' in arg for arg in argv):
        options.append(_WRAPPER_OPTION)
    sync_bn = _sync_bn(argv)
    if sync_bn is not None:
        if _is_rank_zero():
            print(f'cmd_plugin: sync_bn={sync_bn!r} needs CUDA; this '
                  'CPU-only run uses plain BatchNorm (per-process batch '
                  'statistics), as with --cfg-options sync_bn=None',
                  file=sys.stderr)
        options.append('sync_bn=None')
    return argv + ['--cfg-options'] + options if options else argv


def _sync_bn(argv: List[str]) -> Optional[str]:
    try:
        _, cfg = load_command_config('train', argv)
    except ValueError:  # MMAction2's parser will say what is wrong
        return None
    return None if cfg is None else cfg.get('sync_bn')


def _seed_arg(argv: List[str]) -> Optional[str]:
    for i, arg in enumerate(argv):
        if arg == '--seed' and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith('--seed='):
            return arg.split('=', 1)[1]
    return None


def honour_seed(argv: List[str]) -> List[str]:
    """Make ``tools/train.py --seed N`` seed the run.

    MMAction2's script applies ``--seed`` only when the config has no
    ``randomness``, so a config that sets one (the evaluation configs do,
    for reruns that repeat) would train every "seed" with the config's
    seed, silently. The command line wins: ``randomness.seed=N`` is added.

    Returns:
        list[str]: ``argv``, possibly with a ``--cfg-options`` entry added.
    """
    seed = _seed_arg(argv)
    if seed is None or any('randomness.seed' in arg for arg in argv):
        return argv
    try:
        _, cfg = load_command_config('train', argv)
    except ValueError:  # MMAction2's parser will say what is wrong
        return argv
    if cfg is None or cfg.get('randomness') is None:
        return argv  # MMAction2 applies --seed itself
    return argv + ['--cfg-options', f'randomness.seed={seed}']


def check_data(name: str, argv: List[str]) -> None:
    """Exit with one message when the command's data or checkpoint is
    missing; in a multi-process launch only rank 0 prints it."""
    if os.environ.get(CHECKED_ENV) == '1':  # tools/dist_*.sh did it
        return
    message = check_command(osp.splitext(name)[0], argv)
    if message:
        if _is_rank_zero():
            report_missing(message)
        sys.exit(1)


def check_settings(name: str, argv: List[str]) -> None:
    """Settle the config as the runner will (dataset block, model from the
    data) and run the plugin's config check before anything is built, for
    configs that ask for it (``ConfigCheckHook``), so a layout that
    differs between model, datasets and data is named in one message
    before a process starts."""
    from .config_checks import check_config
    from .settled_config import settle_config
    try:
        args, cfg = load_command_config(osp.splitext(name)[0], argv)
    except ValueError:  # MMAction2's parser will say what is wrong
        return
    hooks = (cfg.get('custom_hooks') or []) if cfg is not None else []
    if any(isinstance(h, dict) and h.get('type') == 'ConfigCheckHook'
           for h in hooks):
        try:
            # as the runner will: the data read once here is cached for it
            cfg = copy.deepcopy(cfg)
            _import_custom_modules(cfg)  # e.g. a register_layout module
            settle_config(cfg)
            check_config(cfg)
            check_checkpoint_skeletons(cfg, getattr(args, 'checkpoint', None))
        except ValueError as exc:
            if _is_rank_zero():
                report_missing(str(exc))
            sys.exit(1)


def check_checkpoint_skeletons(cfg, test_checkpoint: Optional[str]) -> None:
    """Refuse, before anything is built, a checkpoint that records another
    skeleton than the settled ``model.layout``: ``model.pretrained``,
    ``load_from`` and the checkpoint ``tools/test.py`` evaluates."""
    from ..compat.safe_checkpoint import load_from_local
    from ..skeleton.record import SkeletonMismatchError, check_skeleton
    model = cfg.get('model') or {}
    layout = model.get('layout')
    if layout is None:
        return
    for key, path in (('model.pretrained', model.get('pretrained')),
                      ('load_from', cfg.get('load_from')),
                      ('the checkpoint', test_checkpoint)):
        if not (isinstance(path, str) and osp.isfile(path)):
            continue
        try:
            check_skeleton(load_from_local(path, map_location='cpu'), layout,
                           f'{key}={path}', 'model.layout')
        except SkeletonMismatchError:
            raise
        except Exception:  # a damaged file: the real load names it
            continue


def _import_custom_modules(cfg) -> None:
    """Import the config's ``custom_imports`` as the runner will, so a
    layout registered there is known to the pre-flight."""
    imports = cfg.get('custom_imports')
    if isinstance(imports, dict) and imports.get('imports'):
        from mmengine.utils import import_modules_from_strings
        import_modules_from_strings(**imports)


def run_mmaction_tool(name: str, argv: Optional[List[str]] = None) -> None:
    """Execute MMAction2's ``tools/<name>`` as ``__main__``."""
    import cmd_plugin  # noqa: F401  (compat fixes + registration)

    argv = list(sys.argv if argv is None else argv)
    path = mmaction_tool_path(name)
    check_data(name, argv[1:])
    check_settings(name, argv[1:])
    args = argv[1:]
    if name == 'train.py':
        args = honour_seed(args)
    sys.argv = [path] + prepare_cpu_distributed(args)
    try:
        runpy.run_path(path, run_name='__main__')
    finally:
        if torch_dist.is_initialized():
            torch_dist.destroy_process_group()


def run_mmaction_script(name: str, argv: List[str]) -> None:
    """Execute MMAction2's ``tools/<name>`` (e.g.
    ``'analysis_tools/report_accuracy.py'``) as ``__main__`` with ``argv``
    after the script name; ``sys.argv`` is restored afterwards, so a
    caller can run it several times.

    Unlike :func:`run_mmaction_tool` no config is checked and no process
    group is made: the analysis tools take result files, not a config.
    """
    import cmd_plugin  # noqa: F401  (compat fixes + registration)

    path = mmaction_tool_path(name)
    saved = sys.argv
    sys.argv = [path] + list(argv)
    try:
        runpy.run_path(path, run_name='__main__')
    finally:
        sys.argv = saved
