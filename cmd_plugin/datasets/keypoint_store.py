"""Keypoints in one memory-mapped array beside a table-of-contents pickle:
the annotation format for Kinetics-sized skeleton sets.

A whole annotation pickle is unpickled, and serialised, by every rank: ~56
GiB per rank for Kinetics-400's 240k 2-D clips (docs/benchmarks.md). In the
store layout the pickle holds what a dataset indexes -- ``split``, the
layout, ``classes`` and per clip ``frame_dir``, ``label``,
``total_frames``, ``img_shape``, ``num_person`` and ``keypoint_offset``,
about 200 bytes -- and the keypoints live in one ``.npy`` file::

    k400_2d.pkl                  # dict(layout, classes, split, annotations,
                                 #   keypoint_store=dict(file, channels,
                                 #   scored, rows, dtype, token))
    k400_2d.<token>.keypoint.npy # (rows, V, channels + scored), the dtype
                                 # of the clips written (float16 from the
                                 # converters)

A clip's M x T rows start at its ``keypoint_offset``: persons outer, frames
inner, so ``rows.reshape(M, T, V, -1)`` is MMAction2's ``keypoint`` with,
when ``scored``, ``keypoint_score`` as the last channel. ``file`` is
relative to the pickle's folder; each write names its array afresh, so a
table is never read against another write's array, and ``rows`` /
``dtype`` are checked whenever the array is mapped. Every process maps the file read-only, so
one page-cached copy serves all ranks and DataLoader workers of a node,
and a sample is read when the pipeline asks for it
(:meth:`SkeletonDataset.get_data_info`).

Writers: ``tools/data/make_keypoint_store.py`` (from a whole pickle, or
from pyskl's Kinetics table of contents and kpfiles) and ``--keypoint-store``
on every converter in ``tools/data/``.
"""
import os.path as osp
import pickle
from typing import Dict, List, Optional

import numpy as np

STORE_KEY = 'keypoint_store'
OFFSET_KEY = 'keypoint_offset'
STORE_SUFFIX = '.keypoint.npy'


def store_array_path(ann_file: str) -> Optional[str]:
    """The array a store's table of contents names; None for a whole
    pickle."""
    with open(ann_file, 'rb') as f:
        data = pickle.load(f)
    spec = data.get(STORE_KEY) if isinstance(data, dict) else None
    return KeypointStore(ann_file, spec).path if spec is not None else None


class KeypointStore:
    """Reads clips of a store; the array is mapped on first use in each
    process and never pickled (a DataLoader worker started by spawn maps
    it again instead of receiving a copy).

    Args:
        ann_file (str): The table-of-contents pickle.
        spec (dict): Its ``keypoint_store`` field.
    """

    def __init__(self, ann_file: str, spec: Dict) -> None:
        if not isinstance(spec, dict) or not isinstance(spec.get('file'),
                                                        str):
            raise ValueError(
                f'{ann_file}: {STORE_KEY} is {spec!r}; want dict(file=NAME'
                f'.<token>{STORE_SUFFIX}, channels=C, scored=bool, rows=N, '
                'dtype=...). Write the store '
                'with tools/data/make_keypoint_store.py')
        self.ann_file = ann_file
        self.path = osp.join(osp.dirname(osp.abspath(ann_file)),
                             spec['file'])
        self.spec = spec
        self.channels = int(spec.get('channels', 0))
        self.scored = bool(spec.get('scored', False))
        self._array: Optional[np.ndarray] = None

    @property
    def array(self) -> np.ndarray:
        if self._array is None:
            if not osp.isfile(self.path):
                raise FileNotFoundError(
                    f'{self.ann_file} keeps its keypoints in {self.path}, '
                    'which does not exist. Keep the .npy beside the .pkl '
                    '(both come from tools/data/make_keypoint_store.py)')
            try:
                self._array = np.load(self.path, mmap_mode='r')
            except ValueError as error:
                raise ValueError(f'{self.path} is not a .npy array '
                                 f'({error}); write the store again') \
                    from error
            self._check_array()
        return self._array

    def _check_array(self) -> None:
        array = self._array
        want = self.channels + self.scored
        rows = self.spec.get('rows', len(array)) if array.ndim else None
        dtype = np.dtype(self.spec.get('dtype', array.dtype))
        if array.ndim != 3 or array.shape[-1] != want \
                or len(array) != rows or array.dtype != dtype:
            raise ValueError(
                f'{self.path} holds an array of shape {array.shape} '
                f'{array.dtype}, but {self.ann_file} says ({rows}, V, '
                f'{want}) {dtype} (channels={self.channels}, scored='
                f'{self.scored}). The two files are from different writes; '
                'write the store again')

    def check(self, annotations: List[Dict]) -> None:
        """Every annotation's rows lie inside the array.

        Raises:
            ValueError: Naming the first clip that does not fit.
        """
        rows = len(self.array)
        for annotation in annotations:
            start, stop = self.rows_of(annotation)
            if start < 0 or stop > rows:
                raise ValueError(
                    f'{self.ann_file}: clip {annotation.get("frame_dir")!r} '
                    f'needs rows {start}:{stop} of {self.path}, which has '
                    f'{rows}. The .pkl and the .npy are from different '
                    'writes; write the store again')

    def rows_of(self, annotation: Dict) -> tuple:
        try:
            start = int(annotation[OFFSET_KEY])
            count = int(annotation['num_person']) * int(
                annotation['total_frames'])
        except (KeyError, TypeError, ValueError):
            raise ValueError(
                f'{self.ann_file}: clip {annotation.get("frame_dir")!r} '
                f'lacks {OFFSET_KEY} / num_person / total_frames, which a '
                'keypoint-store clip needs; write the store again') from None
        return start, start + count

    def read(self, annotation: Dict) -> Dict[str, np.ndarray]:
        """``keypoint`` (M, T, V, C) and, if scored, ``keypoint_score``
        (M, T, V) of one clip, copied out of the map."""
        start, stop = self.rows_of(annotation)
        rows = np.array(self.array[start:stop])
        clip = rows.reshape(int(annotation['num_person']),
                            int(annotation['total_frames']),
                            *rows.shape[1:])
        if not self.scored:
            return dict(keypoint=clip)
        return dict(keypoint=clip[..., :-1], keypoint_score=clip[..., -1])

    def __getstate__(self) -> Dict:
        state = dict(self.__dict__)
        state['_array'] = None
        return state
