"""Conversions whose source is an annotation pickle already: one source
per clip, splits and top-level fields carried over."""
import pickle
from typing import Dict, Iterable, List, Optional

from ..datasets.data_record import data_num_classes
from ..datasets.keypoint_store import STORE_KEY
from .base import SkeletonConverter

_WRITTEN = ('layout', 'split', 'annotations')


def split_membership(split: Optional[Dict]) -> Dict[str, List[str]]:
    """``frame_dir`` -> the names of the splits listing it."""
    member: Dict[str, List[str]] = {}
    for name, clips in (split or {}).items():
        for clip in clips:
            member.setdefault(clip, []).append(name)
    return member


def carried_fields(data: Dict) -> Dict:
    """Top-level fields (``classes``, ``num_classes``, ...) a conversion
    of ``data`` keeps; run_conversion writes the others itself."""
    return {k: v for k, v in data.items() if k not in _WRITTEN}


def class_count(data: Dict, src: str) -> int:
    """Classes ``data`` records (``num_classes`` / ``classes``), else one
    past its largest label."""
    labels = [int(a['label']) for a in data['annotations']
              if a.get('label') is not None]
    return data_num_classes(data, src) or (1 + max(labels) if labels else 0)


def read_annotation_pickle(src: str) -> Dict:
    """The annotation dict of ``src``.

    Raises:
        ValueError: Not an annotation dict or no layout recorded (naming
            the file and the fix).
    """
    with open(src, 'rb') as f:
        data = pickle.load(f)
    if not isinstance(data, dict) or not isinstance(data.get('annotations'),
                                                    list):
        raise ValueError(f'{src}: not an annotation pickle (want a dict '
                         "with 'split' and 'annotations')")
    if STORE_KEY in data:
        raise ValueError(f'{src} is a keypoint store already (its keypoints '
                         f'are in {data[STORE_KEY].get("file")}); give the '
                         'whole pickle it was written from')
    if not data.get('layout'):
        raise ValueError(f'{src} records no layout; convert it again with '
                         'its tools/data/*_to_pkl.py, which writes one')
    return data


class PickleSourceConverter(SkeletonConverter):
    """Base of conversions of an annotation pickle: :meth:`convert` sees
    one annotation (by ``frame_dir``) at a time; ``split`` and every other
    top-level field (``classes``, ``num_classes``, ...) are kept.

    Args:
        src (str): The annotation pickle.
    """

    def __init__(self, src: str) -> None:
        self.src = src
        self.data = read_annotation_pickle(src)
        self._by_name = {a['frame_dir']: a for a in self.data['annotations']}
        self._splits = split_membership(self.data.get('split'))
        self.split_names = tuple(self.data.get('split') or ())
        self.layout = self.data['layout']
        self.num_classes = class_count(self.data, src)

    def sources(self) -> List[str]:
        return list(self._by_name)

    def source_name(self, source: str) -> str:
        return source

    def annotation(self, source: str) -> Dict:
        return self._by_name[source]

    def splits_of(self, annotation: Dict) -> Iterable[str]:
        return self._splits.get(annotation['frame_dir'], ())

    def top_level_fields(self) -> Dict:
        return carried_fields(self.data)


class PickleCopyConverter(PickleSourceConverter):
    """Every clip as it is: with ``keypoint_store=True`` in
    :func:`~.base.run_conversion`, a whole pickle becomes a keypoint
    store."""

    def convert(self, source: str, report) -> List[Dict]:
        return [self.annotation(source)]
