"""What an annotation pickle says about itself: its skeleton layout, its
class count, its coordinates per joint and its persons.

The layout a converter writes into the pickle (a registered name or a full
definition) is the one source of truth for the joints; a config that
states one must agree with it. Reading a large pickle only to learn its
layout would double a run's start-up, so a record is read once per file
version and kept: in memory for the process, and on disk (a few hundred
bytes of JSON under ``$CMD_PLUGIN_CACHE``, default
``~/.cache/cmd_plugin``) for the next launch -- an NTU-120-sized file is
unpickled once, not once per run and rank.
"""
import hashlib
import json
import os
import os.path as osp
import tempfile
from typing import Dict, Optional

import numpy as np

from ..skeleton.layouts import as_definition, get_layout
from .annotation_file import load_annotation_file
from .keypoint_store import STORE_KEY

_MEMO: Dict[tuple, dict] = {}
# bumped when the record's fields change, so old cache files are ignored
# (2: channels counts a keypoint_score)
_VERSION = 2


def data_layout(data: Dict, path: str):
    """The layout the data records (a name or a checked definition), or
    None when it records none (MMAction2's own pickles).

    Raises:
        ValueError: The recorded layout is unknown or not a skeleton,
            naming the file and the field.
    """
    recorded = data.get('layout') if isinstance(data, dict) else None
    if recorded is None:
        return None
    where = f'{path}: layout'
    if isinstance(recorded, str):
        get_layout(recorded, where=where)
        return recorded
    if not isinstance(recorded, dict):
        raise ValueError(
            f'{where} is a {type(recorded).__name__}; a pickle records its '
            'skeleton as a registered layout name or a definition dict '
            '(num_node, parents or inward, ...; see '
            'cmd_plugin/skeleton/layouts.py)')
    get_layout(recorded, where=where)
    return as_definition(recorded)


def data_num_classes(data: Dict, path: str) -> Optional[int]:
    """``num_classes`` or ``len(classes)`` as the pickle records it, or
    None."""
    if data.get('num_classes') is not None:
        value = data['num_classes']
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f'{path}: num_classes={value!r} is not a '
                             'positive int')
        return int(value)
    if data.get('classes') is not None:
        return len(data['classes'])
    return None


def summarize(data: Dict, path: str) -> dict:
    """The record of loaded annotation ``data`` (see :func:`read_record`)."""
    labels = [a.get('label') for a in data['annotations']
              if a.get('label') is not None]
    return dict(
        layout=data_layout(data, path),
        num_classes=data_num_classes(data, path),
        max_label=int(max(labels)) if labels else None,
        **_channels_and_persons(data))


def _channels_and_persons(data: Dict) -> dict:
    """C of the input (plus one for a score) and the largest M: from a
    keypoint store's table of contents (no array read), else from the
    arrays."""
    annotations = data['annotations']
    if STORE_KEY in data:
        spec = data[STORE_KEY]
        return dict(
            channels=int(spec['channels']) + bool(spec.get('scored')),
            persons=max((int(a['num_person']) for a in annotations),
                        default=None))
    first = np.asarray(annotations[0]['keypoint']) if annotations else None
    # a 2-D pickle's keypoint_score becomes a channel of the input
    # (AppendKeypointScore, as MMAction2's GenSkeFeat): x, y, score
    scored = bool(annotations) and 'keypoint_score' in annotations[0]
    return dict(
        channels=(int(first.shape[-1]) + scored
                  if first is not None and first.ndim == 4 else None),
        persons=max((np.asarray(a['keypoint']).shape[0]
                     for a in annotations
                     if np.ndim(a['keypoint']) == 4), default=None))


def read_record(path: str, cached_only: bool = False) -> Optional[dict]:
    """``layout``, ``num_classes``, ``max_label``, ``channels`` (C of
    (M, T, V, C), plus one for a ``keypoint_score``, which the pipeline
    appends as a channel) and ``persons`` (largest M) of an annotation
    pickle.

    Read once per version of the file (path, size, modification time).

    Args:
        cached_only (bool): Return None rather than unpickle the file when
            no record of this version is kept yet.
    """
    return _kept_record(
        path, None if cached_only else lambda: load_annotation_file(path))


def remember_record(path: str, data: Dict) -> None:
    """Keep the record of ``data``, just loaded from ``path`` by a dataset,
    so the next launch need not unpickle the file to learn it."""
    _kept_record(path, lambda: data)


def _kept_record(path: str, load) -> Optional[dict]:
    """The kept record of ``path``'s current version; made from
    ``load()`` (and kept) when there is none, None when ``load`` is None."""
    stat = os.stat(path)
    key = (osp.abspath(path), stat.st_size, stat.st_mtime_ns)
    if key in _MEMO:
        return _MEMO[key]
    cache = _cache_file(key)
    record = _read_cache(cache)
    if record is None and load is None:
        return None
    if record is None:
        record = summarize(load(), path)
        _write_cache(cache, record)
    elif record['layout'] is not None:  # validated again: cheap, and a
        data_layout(record, path)       # hand-edited cache cannot slip by
    _MEMO[key] = record
    return record


def _cache_file(key: tuple) -> str:
    root = os.environ.get('CMD_PLUGIN_CACHE') or osp.join(
        osp.expanduser('~'), '.cache', 'cmd_plugin')
    digest = hashlib.sha1(repr((_VERSION, ) + key).encode()).hexdigest()
    return osp.join(root, 'data_records', digest + '.json')


def _read_cache(path: str) -> Optional[dict]:
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _write_cache(path: str, record: dict) -> None:
    try:  # a cache that cannot be written only costs the next launch time
        os.makedirs(osp.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=osp.dirname(path), suffix='.tmp')
        with os.fdopen(fd, 'w') as f:
            json.dump(record, f)
        os.replace(tmp, path)
    except OSError:
        pass
