"""One dataset block feeds every protocol.

A dataset is stated once, as the top-level ``skeleton_data`` of a config
(``configs/_base_/datasets/<name>.py``)::

    skeleton_data = dict(
        ann_file='data/skeleton/sbu.pkl',
        train_split='fold1_train', val_split='fold1_val',
        num_person=2, clip_len=32, min_crop_length=16,
        num_classes=8,   # optional when the pickle records it
        layout=None,     # optional when the pickle records it
        test_split=None)  # optional: what tools/test.py evaluates

and a protocol (``configs/_base_/protocols/``: pretraining with the kNN
monitor, linear evaluation, ...) holds the loaders without any data. Before
anything is built, :func:`fill_datasets_from_block` gives each skeleton
dataset of the loaders what it leaves out: the file and the data settings,
the training split to the training loader, the validation split to the
others (``test_split``, when given, to the test loader), and for a kNN
set the training split as reference and the evaluated split as query.
The block is read at run time, so ``--cfg-options
skeleton_data.ann_file=...`` reaches every loader. A value a
loader does state must be the block's (a stale base config), else the
error names both.
"""
import os.path as osp
from typing import Dict, Iterator, List, Tuple

BLOCK_KEY = 'skeleton_data'
_SETTINGS = ('ann_file', 'layout', 'num_person', 'clip_len', 'num_classes',
             'data_root')
_KNOWN = _SETTINGS + ('train_split', 'val_split', 'test_split',
                      'min_crop_length')


class DatasetBlockError(ValueError):
    """The dataset block is malformed or a loader contradicts it."""


def fill_datasets_from_block(cfg) -> List[str]:
    """Fill every loader's skeleton datasets from ``cfg.skeleton_data`` in
    place (see the module doc); nothing when the config has no block.

    Returns:
        list[str]: The dataset keys that were filled, for the log.

    Raises:
        DatasetBlockError: Unknown or missing block fields, or a loader
            stating another value than the block.
    """
    block = cfg.get(BLOCK_KEY)
    if block is None:
        return []
    block = _check_block(load_block(block))
    filled = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader_cfg = cfg.get(loader)
        if not isinstance(loader_cfg, dict):
            continue
        evaluated = block['val_split']
        if loader == 'test_dataloader' and block.get('test_split'):
            evaluated = block['test_split']
        for path, node, role in skeleton_datasets(
                loader_cfg.get('dataset'), f'{loader}.dataset',
                'train' if loader == 'train_dataloader' else 'eval'):
            wanted = dict(_settings(block))
            if node.get('type', 'SkeletonDataset') == 'KNNEvalDataset':
                wanted.update(reference_split=block['train_split'],
                              query_split=evaluated)
            elif role in ('train', 'reference'):
                wanted['split'] = block['train_split']
                if block.get('min_crop_length') is not None \
                        and role == 'train':
                    wanted['min_crop_length'] = block['min_crop_length']
            else:
                wanted['split'] = evaluated
            for key, value in wanted.items():
                if key not in node or node[key] is None:
                    node[key] = value
                elif not _same(key, node[key], value):
                    raise DatasetBlockError(
                        f'{path}.{key}={node[key]!r} but the dataset block '
                        f'says {BLOCK_KEY}.{key}={value!r}. Remove '
                        f'{path}.{key} (it follows the block) or change '
                        'the block.')
            filled.append(path)
    return filled


def load_block(block):
    """The block itself, read from its file when ``block`` is a path."""
    if not isinstance(block, str):
        return block
    from mmengine.config import Config
    if not osp.isfile(block):
        raise DatasetBlockError(
            f'{BLOCK_KEY}={block} does not exist; give the path of a '
            f'config file that defines {BLOCK_KEY} = dict(ann_file=..., '
            'train_split=..., val_split=..., ...), e.g. '
            'configs/_base_/datasets/sbu-fold1.py')
    loaded = Config.fromfile(block).get(BLOCK_KEY)
    if loaded is None:
        raise DatasetBlockError(f'{block} defines no {BLOCK_KEY}')
    return loaded


def _check_block(block) -> Dict:
    if not isinstance(block, dict):
        raise DatasetBlockError(
            f'{BLOCK_KEY} must be a dict (ann_file, train_split, val_split, '
            f'num_person, clip_len, ...), got {type(block).__name__}')
    unknown = sorted(set(block) - set(_KNOWN))
    if unknown:
        raise DatasetBlockError(
            f'{BLOCK_KEY} has unknown fields {unknown}; it takes '
            f'{", ".join(_KNOWN)}')
    missing = [k for k in ('ann_file', 'train_split', 'val_split')
               if not block.get(k)]
    if missing:
        raise DatasetBlockError(
            f'{BLOCK_KEY} lacks {missing}: a dataset block names its '
            'annotation file and its training and validation splits')
    return dict(block)


def _settings(block: Dict) -> Iterator[Tuple[str, object]]:
    for key in _SETTINGS:
        if block.get(key) is not None:
            yield key, block[key]


def _same(key: str, a, b) -> bool:
    if key == 'layout':  # a name and its definition are the same layout
        from ..skeleton.layouts import same_layout
        return same_layout(a, b)
    return a == b


def skeleton_datasets(node, path: str = 'dataset', role: str = 'eval'
                      ) -> Iterator[Tuple[str, dict, str]]:
    """(path, config, role) of the dataset configs a block fills:
    ``SkeletonDataset`` and the split form of ``KNNEvalDataset``; wrappers
    are looked through, and a kNN set's ``reference`` keeps its role
    ('reference') through them."""
    if not isinstance(node, dict):
        return
    kind = node.get('type', 'SkeletonDataset')
    if kind == 'KNNEvalDataset' and not any(
            isinstance(node.get(k), dict) for k in ('reference', 'query')):
        yield path, node, role
        return
    if kind == 'SkeletonDataset':
        yield path, node, role
        return
    for key in ('dataset', 'reference', 'query'):
        child_role = key if key in ('reference', 'query') else role
        yield from skeleton_datasets(node.get(key), f'{path}.{key}',
                                     child_role)
    for i, child in enumerate(node.get('datasets') or []):
        yield from skeleton_datasets(child, f'{path}.datasets[{i}]', role)
