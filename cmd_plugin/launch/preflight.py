"""Check a train/test command's files before any process is started.

Without it a launch with no data builds the model, wraps it for DDP and
starts its workers before the dataset finally fails, once per rank. Here
the config is read without its ``custom_imports`` (no torch, under a
second), every ``ann_file`` the command will open is looked up, and the
first message names the missing file and the command that makes it.

``tools/dist_*.sh`` run this file as a script (before ``torchrun``), so it
imports nothing from the package but :mod:`data_hints`, :mod:`config_keys`
and :mod:`dataset_block` (none of which import torch).
"""
import argparse
import functools
import os
import os.path as osp
import sys
from typing import Iterator, List, Optional, Tuple

try:
    from .config_keys import unread_top_level_keys
    from .data_hints import how_to_make
    from .dataset_block import DatasetBlockError, load_block
except ImportError:  # run as a script: the package is not importable cheap
    from config_keys import unread_top_level_keys
    from data_hints import how_to_make
    from dataset_block import DatasetBlockError, load_block

# set by tools/dist_*.sh once checked, so the ranks do not check again
CHECKED_ENV = 'CMD_PLUGIN_DATA_CHECKED'


def iter_ann_files(node, key: str,
                   data_root: Optional[str] = None
                   ) -> Iterator[Tuple[str, str]]:
    """Yield ``(config key, path)`` for every ``ann_file`` under ``node``.

    Datasets nest (``RepeatDataset.dataset``, ``KNNEvalDataset.reference``
    / ``query``), so the whole tree is walked; a relative ``ann_file`` is
    joined to the nearest ``data_root`` above it, as MMEngine does.
    """
    if isinstance(node, dict):
        data_root = node.get('data_root') or data_root
        for name, value in node.items():
            child = f'{key}.{name}'
            if name == 'ann_file' and isinstance(value, str) and value:
                path = value
                if data_root and not osp.isabs(path):
                    path = osp.join(data_root, path)
                yield child, path
            else:
                yield from iter_ann_files(value, child, data_root)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from iter_ann_files(value, f'{key}[{i}]', data_root)


def missing_data_message(cfg, loaders: List[str]) -> Optional[str]:
    """One message for all missing annotation files, or None."""
    missing = {}
    sources = [(loader, cfg.get(loader)) for loader in loaders]
    try:  # the dataset block, maybe given as its file
        block = load_block(cfg.get('skeleton_data'))
    except DatasetBlockError as err:
        return str(err)
    sources.append(('skeleton_data', block))
    for source, node in sources:
        for key, path in iter_ann_files(node, source):
            # remote (s3://, http://) files are the file backend's to find
            if '://' not in path and not osp.exists(path):
                missing.setdefault(path, []).append(key)
    if not missing:
        return None
    lines = []
    for path, keys in missing.items():
        where = '' if osp.isabs(path) else f' (relative to {os.getcwd()})'
        lines.append(f'{path} ({", ".join(keys)}) does not exist{where}; '
                     f'{how_to_make(path)}')
    return '\n'.join(lines)


class _Parser(argparse.ArgumentParser):
    # a bad command line is the tool's to report, in its own words
    def error(self, message):
        raise ValueError(message)


def _parser(tool: str) -> argparse.ArgumentParser:
    from mmengine.config import DictAction

    # only what decides which files are read; options taking a value are
    # declared so their value is not mistaken for the config
    parser = _Parser(add_help=False)
    parser.add_argument('config')
    if tool == 'test':
        parser.add_argument('checkpoint')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    parser.add_argument('--no-validate', action='store_true')
    parser.add_argument('--resume', nargs='?')
    for option in ('--work-dir', '--launcher', '--seed', '--dump',
                   '--show-dir', '--interval', '--wait-time', '--local_rank',
                   '--local-rank'):
        parser.add_argument(option)
    return parser


def load_command_config(tool: str, argv: List[str]):
    """``(args, cfg)`` of ``tools/<tool>.py argv``, ``--cfg-options`` merged;
    cfg is None when the config file does not exist. Read once per command
    line: the data check, the SyncBN fallback and the config check of one
    launch share it (treat it as read-only).

    Raises:
        ValueError: the command line does not parse.
    """
    return _load_command_config(tool, tuple(argv))


@functools.lru_cache(maxsize=4)
def _load_command_config(tool: str, argv: Tuple[str, ...]):
    from mmengine.config import Config

    args, _ = _parser(tool).parse_known_args(list(argv))
    if not osp.isfile(args.config):
        return args, None
    cfg = Config.fromfile(args.config, import_custom_modules=False)
    if args.cfg_options:
        try:
            cfg.merge_from_dict(args.cfg_options)
        except TypeError as err:  # e.g. a field of a block given as a path
            raise OptionsError(
                f'--cfg-options {" ".join(map(str, args.cfg_options))}: '
                f'cannot be merged ({err}). A dataset block given as a file '
                '(skeleton_data=PATH) takes no skeleton_data.<field> '
                'options: put the fields into a block file of your own.'
            ) from err
    return args, cfg


class OptionsError(ValueError):
    """``--cfg-options`` that cannot be merged into the config."""


def check_command(tool: str, argv: List[str]) -> Optional[str]:
    """What is missing for ``tools/<tool>.py argv``, or None.

    ``train`` reads the train and val loaders (val unless
    ``--no-validate``), ``test`` the test loader and the checkpoint.
    """
    try:
        args, cfg = load_command_config(tool, argv)
    except OptionsError as err:
        return str(err)
    except ValueError:
        return None
    if cfg is None:
        return f'config {args.config} does not exist'
    # only configs that opted into the plugin's config check (stock
    # MMAction2 configs keep their helper variables)
    checked = any(isinstance(h, dict) and h.get('type') == 'ConfigCheckHook'
                  for h in cfg.get('custom_hooks') or [])
    unread = unread_top_level_keys(cfg) if checked else []
    if unread:
        return '\n'.join(unread)
    if tool == 'test':
        loaders = ['test_dataloader']
        ckpt = args.checkpoint
        if '://' not in ckpt and not osp.exists(ckpt):  # dirs: see loader
            return (f'checkpoint {ckpt} does not exist; give the .pth '
                    'file a training run wrote to its work dir')
    else:
        loaders = ['train_dataloader']
        if not args.no_validate:
            loaders.append('val_dataloader')
    return missing_checkpoint_message(cfg) or missing_data_message(
        cfg, loaders)


def missing_checkpoint_message(cfg) -> Optional[str]:
    """One line when ``model.pretrained`` or ``load_from`` names a file
    that does not exist, or None."""
    model = cfg.get('model') or {}
    for key, path in (('model.pretrained', model.get('pretrained')),
                      ('load_from', cfg.get('load_from'))):
        if isinstance(path, str) and '://' not in path \
                and not osp.exists(path):
            return (f'{key}={path} does not exist. Set {key} to a '
                    'checkpoint a pretraining run wrote (work_dirs/RUN/'
                    'epoch_N.pth)' + (', or leave it out for the '
                                      'random-init baseline.'
                                      if key == 'model.pretrained' else '.'))
    return None


def report(message: str) -> None:
    print(f'cmd_plugin: cannot start, nothing was run.\n{message}',
          file=sys.stderr)


def main(argv: Optional[List[str]] = None) -> int:
    """``preflight.py train|test CONFIG [tool args]``: 0 when all found."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ('train', 'test'):
        print('usage: preflight.py train|test CONFIG [tool args...]',
              file=sys.stderr)
        return 2
    from mmengine.logging import MMLogger

    # the config's "Using env variable ..." lines are for the run to log
    MMLogger.get_instance('mmengine', log_level='WARNING')
    message = check_command(argv[0], argv[1:])
    if message:
        report(message)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
