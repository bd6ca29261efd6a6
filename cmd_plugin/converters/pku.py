"""PKU-MMD (part I or II) skeletons + action labels -> MMAction2 skeleton
pickle.

Each labelled interval of a long video becomes one sample. Formats (dataset
documentation, docs/cmd.md §10): ``skeleton/<video>.txt`` has one line of
150 numbers per frame (2 bodies x 25 joints x xyz, the second body zero when
absent); ``label/<video>.txt`` has one ``label,start,end,confidence`` line
per action; the split files hold a header line, the comma-separated
training videos, another header and the validation videos. Both parts have
51 classes; part II's labels are 1-based, part I's copies come 0- or
1-based (:func:`detect_label_base` tells which).
"""
import os.path as osp
from typing import Dict, FrozenSet, Iterable, List, Optional

import numpy as np

from .base import SkeletonConverter, files_with_suffix
from .keypoint import drop_empty_bodies, make_annotation
from .report import ConversionReport, SampleError
from .text_lines import LineCursor

NUM_JOINTS = 25
NUM_BODIES = 2
NUM_CLASSES = 51
# The authors' PKU-MMD II arrays hold at most 300 frames per clip.
DEFAULT_MAX_FRAMES = 300


def read_split_file(path: str) -> FrozenSet[str]:
    """Training videos of a PKU-MMD split file.

    Videos not listed for training are validation videos, so the second
    list is not needed.

    Raises:
        ValueError: The file has no line after its header, or that line
            names no video.
    """
    with open(path, encoding='utf-8') as f:
        lines = [line.strip() for line in f if line.strip()]
    if len(lines) < 2:
        raise ValueError(
            f'{path}: expected a header line, then the comma-separated '
            'training videos')
    videos = frozenset(v.strip() for v in lines[1].split(',') if v.strip())
    if not videos:
        raise ValueError(f'{path}: line 2 lists no training video; expected '
                         'comma-separated names such as A01N01-L')
    return videos


def _examples(names: Iterable[str], count: int = 3) -> str:
    names = sorted(names)
    more = ', ...' if len(names) > count else ''
    return ', '.join(names[:count]) + more


def check_split_matches(path: str, train: FrozenSet[str],
                        videos: FrozenSet[str], label_dir: str) -> None:
    """Fail when a split file's training list names none of the videos.

    Such a split would put every clip into validation, which shows only as
    ``xsub_train 0`` at the end of a long run; the names side by side
    usually show the cause (another dataset version, other spelling).

    Raises:
        ValueError: No listed video has a label file.
    """
    if not videos or train & videos:
        return
    raise ValueError(
        f'{path}: none of its {len(train)} training videos has a label file '
        f'in {label_dir}; the list names {_examples(train)}, the folder has '
        f'{_examples(videos)}. Give the split file of this PKU-MMD version '
        '(--xsub-file / --xview-file) or the matching --label-dir')


def read_pku_skeleton(path: str) -> np.ndarray:
    """Read a PKU-MMD skeleton file.

    Returns:
        np.ndarray: (2, T, 25, 3) float64.

    Raises:
        SampleError: Garbled lines, a wrong number of values per line, or an
            empty file.
    """
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except UnicodeDecodeError:
        raise SampleError('garbled file', 'not a text file') from None
    lines = LineCursor(text.rstrip())
    num_frames = lines.remaining() if text.strip() else 0
    if num_frames == 0:
        raise SampleError('zero frames', 'empty skeleton file')
    values = NUM_BODIES * NUM_JOINTS * 3
    # A line of the wrong length means a wrong joint (or body) count.
    frames = lines.read_matrix(
        num_frames, values, 'the frames', count_reason='wrong joint count')
    return frames.reshape(num_frames, NUM_BODIES, NUM_JOINTS,
                          3).transpose(1, 0, 2, 3)


def read_pku_labels(path: str) -> List[List[str]]:
    """Split a label file into its comma-separated lines (blank lines
    dropped); parsing happens per interval so one bad line costs one
    sample."""
    with open(path, encoding='utf-8') as f:
        return [[v.strip() for v in line.split(',')] for line in f
                if line.strip()]


def detect_label_base(label_dir: str) -> int:
    """0 or 1: the number of the first class in a folder of label files.

    With 51 classes, a 0 says 0-based and a 51 says 1-based; a folder with
    both, or with neither (a subset without the first and the last class),
    cannot say, and converting on a guess would shift every label silently.

    Raises:
        ValueError: The labels do not tell; the message names the option.
    """
    seen = set()
    for path in files_with_suffix(label_dir, '.txt'):
        for fields in read_pku_labels(path):
            try:
                seen.add(int(float(fields[0])))
            except (ValueError, OverflowError, IndexError):
                continue  # reported per interval during conversion
    has_zero, has_last = 0 in seen, NUM_CLASSES in seen
    if has_zero != has_last:
        return 0 if has_zero else 1
    found = (f'both 0 and {NUM_CLASSES}' if has_zero else
             f'neither 0 nor {NUM_CLASSES}')
    raise ValueError(
        f'{label_dir}: the action ids include {found}, so whether they '
        'start at 0 or 1 cannot be told; give --label-base 0 or '
        '--label-base 1')


def parse_interval(fields: List[str], label_base: int = 1) -> tuple:
    """``(label, start, end)`` of one label line, the label as in the file.

    Raises:
        SampleError: Not 3-4 integer fields, label outside
            ``label_base .. label_base + 50`` or an empty interval.
    """
    if len(fields) not in (3, 4):
        raise SampleError('garbled label', f'{",".join(fields)[:40]!r}')
    try:
        label, start, end = (int(float(v)) for v in fields[:3])
    except (ValueError, OverflowError):
        raise SampleError('garbled label',
                          f'{",".join(fields)[:40]!r}') from None
    last = label_base + NUM_CLASSES - 1
    if not label_base <= label <= last:
        raise SampleError('unknown label',
                          f'label {label} not in {label_base}..{last}')
    if start < 0 or end <= start:
        raise SampleError('empty interval', f'frames [{start}, {end})')
    return label, start, end


class PKUConverter(SkeletonConverter):
    """Convert PKU-MMD videos into one sample per labelled interval.

    Args:
        skeleton_dir (str): Directory of ``<video>.txt`` skeleton files.
        label_dir (str): Directory of ``<video>.txt`` label files; every
            label file is one source.
        xsub_file (str): ``cross_subject_v2.txt`` (part I:
            ``cross-subject.txt``).
        xview_file (str): ``cross_view_v2.txt`` (part I:
            ``cross-view.txt``).
        max_frames (int): Clips longer than this keep their first
            ``max_frames`` frames; 0 keeps everything. Defaults to 300.
        label_base (int): The number of the first class in the label
            files: 1 for part II, 0 or 1 for part I. Defaults to 1.
    """

    split_names = ('xsub_train', 'xsub_val', 'xview_train', 'xview_val')
    num_classes = NUM_CLASSES
    layout = 'nturgb+d'

    def __init__(self,
                 skeleton_dir: str,
                 label_dir: str,
                 xsub_file: str,
                 xview_file: str,
                 max_frames: int = DEFAULT_MAX_FRAMES,
                 label_base: int = 1) -> None:
        for path in (skeleton_dir, label_dir):
            if not osp.isdir(path):
                raise FileNotFoundError(f'PKU-MMD directory not found: {path}')
        if max_frames < 0:
            raise ValueError(f'max_frames must be >= 0, got {max_frames}')
        if label_base not in (0, 1):
            raise ValueError(f'label_base must be 0 or 1, got {label_base}')
        self.label_base = label_base
        self.skeleton_dir = skeleton_dir
        self.label_dir = label_dir
        self.xsub_train = read_split_file(xsub_file)
        self.xview_train = read_split_file(xview_file)
        videos = frozenset(map(self.source_name, self.sources()))
        for path, train in ((xsub_file, self.xsub_train),
                            (xview_file, self.xview_train)):
            check_split_matches(path, train, videos, label_dir)
        # By name without suffix, so A01N01-L.TXT pairs with A01N01-L.txt.
        self._skeletons = {
            self.source_name(path): path
            for path in files_with_suffix(skeleton_dir, '.txt')
        }
        self.max_frames = max_frames
        self._cut = 0

    def sources(self) -> List[str]:
        return files_with_suffix(self.label_dir, '.txt')

    def convert(self, source: str, report: ConversionReport) -> List[Dict]:
        video = self.source_name(source)
        skeleton_path = self._skeletons.get(video)
        if skeleton_path is None:
            raise SampleError('missing skeleton file',
                              osp.join(self.skeleton_dir, f'{video}.txt'))
        intervals = read_pku_labels(source)
        frames = read_pku_skeleton(skeleton_path)
        samples = []
        for index, fields in enumerate(intervals):
            name = f'{video}_{index:03d}'
            try:
                samples.append(self._clip(name, fields, frames))
            except SampleError as error:
                report.add_error(name, error)
        return samples

    def _clip(self, name: str, fields: List[str], frames: np.ndarray) -> Dict:
        label, start, end = parse_interval(fields, self.label_base)
        # Python slicing, as the authors cut: an end past the last frame is
        # clamped rather than an error.
        clip = frames[:, start:end]
        if clip.shape[1] == 0:
            raise SampleError(
                'empty interval', f'frames [{start}, {end}) outside the '
                f'{frames.shape[1]}-frame skeleton')
        if self.max_frames and clip.shape[1] > self.max_frames:
            clip = clip[:, :self.max_frames]
            self._cut += 1
        if not np.isfinite(clip).all():
            raise SampleError('non-finite coordinates', 'NaN or inf values')
        keypoint = drop_empty_bodies(clip)
        return make_annotation(name, label - self.label_base, keypoint,
                               NUM_JOINTS,
                               'all coordinates are zero')

    def splits_of(self, annotation: Dict) -> List[str]:
        video = annotation['frame_dir'].rsplit('_', 1)[0]
        return [
            'xsub_train' if video in self.xsub_train else 'xsub_val',
            'xview_train' if video in self.xview_train else 'xview_val'
        ]

    def extra_summary(self) -> Dict:
        if not self.max_frames:
            return {}
        return {
            'cut':
            f'{self._cut} clips longer than {self.max_frames} '
            f'frames kept their first {self.max_frames}'
        }


def find_split_file(root: str, name: str) -> Optional[str]:
    """Look for a split file in ``root`` and ``root/split``."""
    for folder in (root, osp.join(root, 'split')):
        path = osp.join(folder, name)
        if osp.isfile(path):
            return path
    return None
