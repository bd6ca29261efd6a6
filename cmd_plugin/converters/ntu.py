"""NTU RGB+D 60 / 120 raw ``.skeleton`` files -> MMAction2 skeleton pickle.

File format (dataset documentation, docs/cmd.md §10): line 1 is the
frame count; each frame has a body-count line and, per body, a line of 10
body values, a joint-count line (25) and 25 lines of 12 joint values whose
first three are x, y, z in metres.
"""
import os.path as osp
import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Tuple, Union

import numpy as np

from .base import SkeletonConverter, files_with_suffix
from .keypoint import drop_empty_bodies, make_annotation
from .report import ConversionReport, SampleError
from .text_lines import LineCursor

NUM_JOINTS = 25
_BODY_VALUES = 10
_JOINT_VALUES = 12

# Training subjects of the cross-subject benchmarks (dataset papers).
NTU60_XSUB_TRAIN_SUBJECTS = frozenset(
    [1, 2, 4, 5, 8, 9, 13, 14, 15, 16, 17, 18, 19, 25, 27, 28, 31, 34, 35, 38])
NTU120_XSUB_TRAIN_SUBJECTS = NTU60_XSUB_TRAIN_SUBJECTS | frozenset([
    45, 46, 47, 49, 50, 52, 53, 54, 55, 56, 57, 58, 59, 70, 74, 78, 80, 81, 82,
    83, 84, 85, 86, 89, 91, 92, 93, 94, 95, 97, 98, 100, 103
])
NTU60_XVIEW_TRAIN_CAMERAS = frozenset([2, 3])


@dataclass(frozen=True)
class NTUDatasetInfo:
    """What distinguishes NTU-60 from NTU-120 for conversion."""

    num_classes: int
    num_setups: int
    split_names: tuple


NTU_DATASETS: Dict[str, NTUDatasetInfo] = {
    'ntu60':
    NTUDatasetInfo(60, 17,
                   ('xsub_train', 'xsub_val', 'xview_train', 'xview_val')),
    'ntu120':
    NTUDatasetInfo(120, 32,
                   ('xsub_train', 'xsub_val', 'xset_train', 'xset_val')),
}

_NAME = re.compile(r'^S(\d{3})C(\d{3})P(\d{3})R(\d{3})A(\d{3})$')


@dataclass(frozen=True)
class NTUName:
    """Fields of a sample name ``SsssCcccPpppRrrrAaaa`` (all 1-based)."""

    setup: int
    camera: int
    performer: int
    replication: int
    action: int

    @classmethod
    def parse(cls, name: str) -> 'NTUName':
        """Parse a sample name (no extension).

        Raises:
            SampleError: The name does not follow the NTU pattern.
        """
        match = _NAME.match(name)
        if match is None:
            raise SampleError('bad file name',
                              'expected SsssCcccPpppRrrrAaaa.skeleton')
        return cls(*(int(g) for g in match.groups()))


def ntu_splits(name: NTUName, dataset: str) -> List[str]:
    """Standard benchmark splits of one sample.

    NTU-60: cross-subject by the training subject list, cross-view with
    cameras 2 and 3 for training. NTU-120: cross-subject by its own list,
    cross-setup with even setup numbers for training.
    """
    if dataset == 'ntu60':
        xsub = name.performer in NTU60_XSUB_TRAIN_SUBJECTS
        xview = name.camera in NTU60_XVIEW_TRAIN_CAMERAS
        return [
            'xsub_train' if xsub else 'xsub_val',
            'xview_train' if xview else 'xview_val'
        ]
    if dataset == 'ntu120':
        xsub = name.performer in NTU120_XSUB_TRAIN_SUBJECTS
        return [
            'xsub_train' if xsub else 'xsub_val',
            'xset_train' if name.setup % 2 == 0 else 'xset_val'
        ]
    raise ValueError(f'unknown NTU dataset {dataset!r}; use ntu60 or ntu120')


def read_skeleton_file(path: str) -> np.ndarray:
    """Read the xyz coordinates of every body slot of a ``.skeleton`` file.

    Only x, y, z are parsed as numbers; the other nine joint values are
    counted but not converted. Bodies are kept in their per-frame order
    ("slot" = position in the frame's body list), as the published
    2s-AGCN/CMD preprocessing does, rather than tracked by body id.

    Args:
        path (str): The file.

    Returns:
        np.ndarray: (S, T, 25, 3) float64, S = the most bodies in any frame
        (0 when no frame has a body); absent bodies are zeros.

    Raises:
        SampleError: Truncated or garbled text, a joint count other than 25,
            or zero frames.
    """
    try:
        with open(path, encoding='utf-8') as f:
            lines = LineCursor(f.read())
    except UnicodeDecodeError:
        raise SampleError('garbled file', 'not a text file') from None
    num_frames = lines.read_int('the frame count')
    if num_frames == 0:
        raise SampleError('zero frames', 'frame count is 0')
    # Each frame takes at least one line: a corrupt count must not make us
    # allocate gigabytes before noticing the file is short.
    if num_frames > lines.remaining():
        raise SampleError(
            'truncated file', f'{num_frames} frames declared, only '
            f'{lines.remaining()} lines follow')
    slots: List[np.ndarray] = []
    for frame in range(num_frames):
        num_bodies = lines.read_int(f'the body count of frame {frame + 1}')
        while len(slots) < num_bodies:
            slots.append(np.zeros((num_frames, NUM_JOINTS, 3)))
        for body in range(num_bodies):
            where = f'frame {frame + 1} body {body + 1}'
            lines.skip_values(_BODY_VALUES, f'the body info of {where}')
            num_joints = lines.read_int(f'the joint count of {where}')
            if num_joints != NUM_JOINTS:
                raise SampleError(
                    'wrong joint count',
                    f'{where}: {num_joints} joints, want {NUM_JOINTS}')
            slots[body][frame] = lines.read_matrix(
                NUM_JOINTS, _JOINT_VALUES, f'the joints of {where}', keep=3)
    lines.check_end(f'{num_frames} frames')
    if not slots:
        return np.zeros((0, num_frames, NUM_JOINTS, 3))
    return np.stack(slots)


def body_energy(body: np.ndarray) -> float:
    """Motion energy of one body slot: sum over x, y, z of the standard
    deviation over its non-zero frames (all their joints pooled), as in the
    published preprocessing.

    Args:
        body (np.ndarray): (T, V, 3).
    """
    present = np.abs(body).sum(axis=(1, 2)) > 0
    if not present.any():
        return 0.0
    coords = body[present]
    return float(sum(coords[..., c].std() for c in range(3)))


def select_bodies(bodies: np.ndarray, max_bodies: int = 2) -> np.ndarray:
    """Keep the ``max_bodies`` slots of highest energy, then drop empty ones.

    Args:
        bodies (np.ndarray): (S, T, V, 3).
        max_bodies (int): How many to keep. Defaults to 2.

    Returns:
        np.ndarray: (M, T, V, 3), M <= max_bodies, highest energy first (ties
        keep slot order).
    """
    energy = np.array([body_energy(b) for b in bodies])
    order = np.argsort(-energy, kind='stable')[:max_bodies]
    return drop_empty_bodies(bodies[order])


@dataclass(frozen=True)
class NameList:
    """Sample names read from a list file.

    Attributes:
        names (frozenset): Well-formed ``SsssCcccPpppRrrrAaaa`` names.
        other_lines (tuple): Non-blank, non-comment lines that hold no such
            name (the published lists open with two sentences of prose).
    """

    names: FrozenSet[str]
    other_lines: Tuple[str, ...] = ()


def read_name_list(path: str) -> NameList:
    """Read sample names, one per line, e.g. the published missing-skeleton
    lists. ``#`` comments, directories and a ``.skeleton`` extension are
    allowed; lines that are no sample name are kept apart, not counted.

    Raises:
        ValueError: The file holds no sample name at all (a wrong file).
    """
    names, other = set(), []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            name = osp.basename(line)
            if name.lower().endswith('.skeleton'):
                name = osp.splitext(name)[0]
            if _NAME.match(name):
                names.add(name)
            else:
                other.append(line)
    if not names:
        raise ValueError(
            f'{path}: no sample name (SsssCcccPpppRrrrAaaa) in '
            f'{len(other)} lines; give the missing-skeleton list of NTU')
    return NameList(frozenset(names), tuple(other))


class NTUConverter(SkeletonConverter):
    """Convert a directory of NTU ``.skeleton`` files.

    Args:
        src (str): Directory holding the ``.skeleton`` files (not searched
            recursively).
        dataset (str): ``'ntu60'`` or ``'ntu120'``; samples outside it
            (later setups, unknown actions) are skipped and reported.
        ignore_names (NameList | Iterable[str]): Sample names to drop, e.g.
            the published missing-skeleton list from
            :func:`read_name_list`.
        max_bodies (int): Bodies kept per sample, at least 1. Defaults to
            2.
    """

    layout = 'nturgb+d'

    def __init__(self,
                 src: str,
                 dataset: str = 'ntu60',
                 ignore_names: Union[NameList, Iterable[str], None] = None,
                 max_bodies: int = 2) -> None:
        if dataset not in NTU_DATASETS:
            raise ValueError(f'unknown NTU dataset {dataset!r}; use one of '
                             f'{sorted(NTU_DATASETS)}')
        if not osp.isdir(src):
            raise FileNotFoundError(f'NTU skeleton directory not found: {src}')
        if max_bodies < 1:
            raise ValueError(f'max_bodies must be 1 or more, got {max_bodies}'
                             ' (fewer would drop every sample)')
        self.src = src
        self.dataset = dataset
        self.info = NTU_DATASETS[dataset]
        self.split_names = self.info.split_names
        self.num_classes = self.info.num_classes
        if isinstance(ignore_names, NameList):
            self.ignore_other_lines = ignore_names.other_lines
            ignore_names = ignore_names.names
        else:
            self.ignore_other_lines = ()
        self.ignore_names = frozenset(ignore_names or ())
        self.max_bodies = max_bodies
        self._ignored = 0

    def sources(self) -> List[str]:
        return files_with_suffix(self.src, '.skeleton')

    def convert(self, source: str, report: ConversionReport) -> List[Dict]:
        name = self.source_name(source)
        if name in self.ignore_names:
            self._ignored += 1
            raise SampleError('in ignore list')
        fields = NTUName.parse(name)
        if fields.setup > self.info.num_setups:
            raise SampleError(
                'not in dataset', f'setup {fields.setup} is not part of '
                f'{self.dataset} (setups 1-{self.info.num_setups})')
        if not 1 <= fields.action <= self.num_classes:
            raise SampleError(
                'unknown label', f'action {fields.action} is not one of '
                f'{self.dataset} (1-{self.num_classes})')
        bodies = read_skeleton_file(source)
        if not np.isfinite(bodies).all():
            raise SampleError('non-finite coordinates', 'NaN or inf values')
        keypoint = select_bodies(bodies, self.max_bodies)
        return [
            make_annotation(name, fields.action - 1, keypoint, NUM_JOINTS,
                            'no frame has a skeleton')
        ]

    def splits_of(self, annotation: Dict) -> List[str]:
        return ntu_splits(NTUName.parse(annotation['frame_dir']), self.dataset)

    def extra_summary(self) -> Dict:
        if not self.ignore_names:
            return {}
        line = (f'{self._ignored} of {len(self.ignore_names)} listed names '
                'found and dropped')
        if self.ignore_other_lines:
            count = len(self.ignore_other_lines)
            line += (f'; {count} line{"s" if count > 1 else ""} without a '
                     f'sample name not counted '
                     f'(first: {self.ignore_other_lines[0][:50]!r})')
        return {'ignore list': line}
