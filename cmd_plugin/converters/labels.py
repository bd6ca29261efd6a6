"""Labels and train/val splits for a user's own clips (no official
protocol to follow).

Labels come from a folder per class (``ROOT/<class_name>/...``, ids from
the sorted folder names) or from a CSV with columns ``file`` and ``label``
(and optionally ``split``). Without a split column, a deterministic
stratified split holds out ``val_fraction`` of every class.
"""
import csv
import hashlib
import math
import os
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

SPLIT_NAMES = ('train', 'val')


def find_files(root: str, suffixes: Sequence[str]) -> List[str]:
    """Sorted paths of the files under ``root`` (recursively) whose name
    ends in one of ``suffixes`` (any letter case); hidden ones skipped."""
    suffixes = tuple(s.lower() for s in suffixes)
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        found += [
            osp.join(folder, f) for f in files
            if f.lower().endswith(suffixes) and not f.startswith('.')
        ]
    return sorted(found)


def folder_labels(root: str, files: Sequence[str]
                  ) -> Tuple[List[str], Dict[str, Optional[int]]]:
    """Classes and labels of ``ROOT/<class_name>/.../<clip>`` files.

    Returns:
        tuple: ``classes`` (sorted names of the first-level folders that
        hold at least one of ``files``) and {file: label}, None for a file
        directly in ``root`` (no class folder).
    """
    top = {f: osp.relpath(f, root).replace(os.sep, '/').split('/')[0]
           for f in files}
    classes = sorted({name for f, name in top.items()
                      if osp.dirname(osp.relpath(f, root))})
    index = {name: i for i, name in enumerate(classes)}
    return classes, {f: index.get(top[f]) if osp.dirname(
        osp.relpath(f, root)) else None for f in files}


@dataclass
class LabelTable:
    """What a label CSV says.

    Attributes:
        rows (dict): {file as written: (label, split or None)}.
        classes (list, optional): Sorted class names when the labels are
            names; None when they are integer ids.
    """

    rows: Dict[str, Tuple[int, Optional[str]]]
    classes: Optional[List[str]]

    @property
    def has_splits(self) -> bool:
        return any(split is not None for _, split in self.rows.values())


def read_label_csv(path: str) -> LabelTable:
    """Read a ``file,label[,split]`` CSV (a header row naming the columns).

    ``label`` is a 0-based class id in every row or a class name in every
    row (ids then follow the sorted names). ``split`` is ``train`` or
    ``val``; a row may leave it empty only if every row does.

    Raises:
        FileNotFoundError: No such file.
        ValueError: A missing column, a mix of ids and names, a negative
            id, an unknown split, a file listed twice; the message names
            the row.
    """
    with open(path, newline='', encoding='utf-8-sig') as f:
        reader = csv.DictReader(f)
        fields = [c.strip().lower() for c in (reader.fieldnames or [])]
        missing = [c for c in ('file', 'label') if c not in fields]
        if missing:
            raise ValueError(
                f'{path}: no {" or ".join(missing)} column (header: '
                f'{reader.fieldnames}); the first row must name the columns '
                'file,label[,split]')
        raw = []
        for line, row in enumerate(reader, start=2):
            row = {k.strip().lower(): (v or '').strip()
                   for k, v in row.items() if k is not None}
            if not any(row.values()):
                continue
            raw.append((line, row['file'], row['label'], row.get('split')
                        or None))
    if not raw:
        raise ValueError(f'{path} lists no file')
    is_id = [label.isdigit() for _, _, label, _ in raw]
    if any(is_id) and not all(is_id):
        line = raw[is_id.index(not is_id[0])][0]
        raise ValueError(
            f'{path}: the label column mixes integer ids and class names '
            f'(first change at line {line}); use one kind in every row')
    classes = None if all(is_id) else sorted({r[2] for r in raw})
    splits = [r[3] for r in raw]
    if any(splits) and not all(splits):
        line = raw[splits.index(None)][0]
        raise ValueError(f'{path} line {line}: empty split; give train or '
                         'val in every row, or drop the split column')
    rows = {}
    for line, name, label, split in raw:
        if not name:
            raise ValueError(f'{path} line {line}: empty file column')
        if split is not None and split.lower() not in SPLIT_NAMES:
            raise ValueError(f'{path} line {line}: split {split!r}; use '
                             f'{" or ".join(SPLIT_NAMES)}')
        if name in rows:
            raise ValueError(f'{path} line {line}: {name} is listed twice')
        label_id = int(label) if classes is None else classes.index(label)
        rows[name] = (label_id, split.lower() if split else None)
    return LabelTable(rows, classes)


def stratified_val(names_by_label: Dict[int, Sequence[str]],
                   val_fraction: float, seed: int) -> set:
    """The names a deterministic stratified split puts in ``val``.

    Per class, ``round(n * val_fraction)`` clips, at least 1 and at most
    n - 1 when the class has 2 or more (a class of one stays in train).
    The clips are ranked by a hash of ``seed`` and their name, not drawn
    by a random generator: the same names and seed give the same split on
    every machine and Python version, and adding or removing one clip
    moves at most one other clip of its class.
    """
    if not 0 <= val_fraction < 1:
        raise ValueError(f'val_fraction={val_fraction}: give a fraction in '
                         '[0, 1)')
    val = set()
    for names in names_by_label.values():
        n = len(names)
        count = math.floor(n * val_fraction + 0.5)
        if val_fraction > 0 and n >= 2:
            count = min(max(count, 1), n - 1)
        elif n < 2:
            count = 0
        ranked = sorted(names, key=lambda name: hashlib.sha1(
            f'{seed}:{name}'.encode('utf-8')).hexdigest())
        val.update(ranked[:count])
    return val
