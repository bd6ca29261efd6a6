"""2D pose estimates of a user's own videos (COCO-17 keypoints) -> one
MMAction2 2D skeleton annotation pickle (``layout='coco'``).

Accepted inputs, one file per video (the suffix decides the reader):

- ``.json`` as MMPose 1.x writes it.

  * ``MMPoseInferencer(pose2d=...)(video, pred_out_dir=DIR)`` writes
    ``DIR/<video name>.json``: a list with one entry per frame,
    ``[{"frame_id": 0, "instances": [{"keypoints": [[x, y] x 17],
    "keypoint_scores": [s x 17], "bbox": [[x1, y1, x2, y2]],
    "bbox_score": s}, ...]}, ...]`` (frame ids from 0; ``instances`` is
    ``[]`` where nobody was detected; ``bbox``/``bbox_score`` are ignored).
  * ``demo/topdown_demo_with_mmdet.py --save-predictions`` writes
    ``results_<video name>.json``: ``{"meta_info": {...dataset meta...},
    "instance_info": [<the same per-frame entries, frame ids from 1>]}``.
    ``meta_info.num_keypoints`` (when present) must be 17. MMPose records
    no frame size; an ``img_shape: [h, w]`` added to ``meta_info`` (or at
    the top level) is used.

- ``.pkl`` / ``.pickle`` as MMAction2's
  ``tools/data/skeleton/ntu_pose_extraction.py`` writes it: one dict per
  video with ``keypoint`` (M, T, 17, 2), ``keypoint_score`` (M, T, 17),
  ``img_shape``, ``original_shape``, ``total_frames``, ``frame_dir`` and
  ``label``. Its ``label`` is parsed from an NTU file name, so it is
  ignored; labels come from the folder or the CSV as for JSON.

Persons: MMAction2's convention, at most M (``max_persons``) per frame,
the instances of highest mean keypoint score, best first; frames with
fewer are padded with zeros (score 0). A clip stores
``min(M, most persons in any frame)`` persons, like the other converters'
``drop_empty_bodies`` (``FormatGCNInput`` pads at load time). A pickle's
person axis is already a set of tracks (ntu_pose_extraction tracks people
across frames), so there whole tracks are kept -- the M of highest mean
score over the clip, in their order -- rather than re-ranked per frame,
which would swap identities between frames.

Frame size (``img_shape``, what 2D normalisation divides by): the file's
own if it has one, else ``img_shape`` given to the converter
(``--img-shape H W``), else the keypoint extent -- a per-clip guess,
counted in the summary with a warning. ntu_pose_extraction.py records
1080x1920 whatever the video; clips whose joints fall well outside their
``img_shape`` are named in the summary.

Labels and splits (:mod:`.labels`): class folders ``src/<class>/...``
(ids follow the sorted names of the folders holding a file; ``classes``
is written) or a ``file,label[,split]`` CSV. Split names ``train`` and
``val``: the CSV's column, or ``val_fraction`` of every class by a
deterministic hash ranking, drawn among the clips that converted so a
broken file takes no ``val`` place; neither: only ``train``.

``frame_dir`` is the file name without extension (``results_`` prefix
included: rename the files if you want it gone); two files of the same
name are reported as duplicates.

Each bad file (unreadable, wrong keypoint count, NaN, nobody in any
frame, no label) is reported by its path under ``src`` and skipped.
"""
import json
import os.path as osp
import pickle
from collections import Counter
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .base import SkeletonConverter
from .keypoint2d import (check_img_shape, keypoint_extent, make_annotation_2d,
                         outside_fraction)
from .labels import (find_files, folder_labels, read_label_csv,
                     stratified_val)
from .report import ConversionReport, SampleError

NUM_JOINTS = 17
JSON_SUFFIXES = ('.json', )
PICKLE_SUFFIXES = ('.pkl', '.pickle')
# a frame_id span this many times the number of frame entries is no video
_MAX_SPAN_FACTOR = 10

Instance = Tuple[np.ndarray, np.ndarray]  # (17, 2) pixels, (17,) scores


def _instance(raw, where: str) -> Instance:
    """One MMPose instance as float arrays, checked."""
    if not isinstance(raw, dict) or 'keypoints' not in raw \
            or 'keypoint_scores' not in raw:
        raise SampleError('garbled file',
                          f'{where}: an instance without keypoints and '
                          'keypoint_scores')
    try:
        keypoints = np.asarray(raw['keypoints'], dtype=np.float64)
        scores = np.asarray(raw['keypoint_scores'], dtype=np.float64)
    except (TypeError, ValueError):
        raise SampleError('garbled file', f'{where}: keypoints are not a '
                          'list of [x, y] numbers') from None
    if keypoints.ndim == 2 and keypoints.shape[1] != 2 and \
            keypoints.shape[0] > 0:
        raise SampleError(
            'wrong coordinate count',
            f'{where}: {keypoints.shape[1]} values per keypoint; this '
            'converter takes 2D [x, y] estimates (MMPoseInferencer(pose2d=...'
            '), not pose3d)')
    if keypoints.ndim != 2 or keypoints.shape[0] != NUM_JOINTS:
        count = keypoints.shape[0] if keypoints.ndim >= 1 else 0
        raise SampleError(
            'wrong joint count',
            f'{where}: {count} keypoints per person, want {NUM_JOINTS} '
            '(COCO body); estimate with a COCO-17 model')
    if scores.shape != (NUM_JOINTS, ):
        raise SampleError(
            'wrong joint count',
            f'{where}: {scores.size} keypoint_scores, want {NUM_JOINTS}')
    if not np.isfinite(keypoints).all():
        raise SampleError('non-finite coordinates', f'{where}: NaN or inf')
    if not np.isfinite(scores).all():
        raise SampleError('non-finite scores', f'{where}: NaN or inf')
    return keypoints, scores


def read_mmpose_json(path: str) -> Tuple[List[List[Instance]], Dict]:
    """Frames and meta of one MMPose prediction file (module docstring).

    Returns:
        tuple: ``frames`` (one list of instances per frame, gaps in the
        frame ids filled with empty frames) and ``meta`` ({} for the plain
        list form).

    Raises:
        SampleError: Unreadable JSON, another structure, no frame, a
            repeated frame id, a bad instance, a non-COCO-17 model.
    """
    try:
        with open(path, encoding='utf-8') as f:
            content = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SampleError('garbled file', str(error)[:80]) from None
    meta = {}
    if isinstance(content, dict):
        if 'instance_info' not in content:
            raise SampleError(
                'garbled file', 'a JSON object without "instance_info"; want '
                "MMPose's per-frame list or {meta_info, instance_info}")
        meta = dict(content.get('meta_info') or {})
        if 'img_shape' in content:
            meta.setdefault('img_shape', content['img_shape'])
        content = content['instance_info']
    if not isinstance(content, list):
        raise SampleError('garbled file', 'want a list of frames')
    if not content:
        raise SampleError('zero frames', 'the file lists no frame')
    joints = meta.get('num_keypoints')
    if joints is not None and joints != NUM_JOINTS:
        raise SampleError(
            'wrong joint count',
            f"meta_info says {joints} keypoints ({meta.get('dataset_name')});"
            f' want {NUM_JOINTS} (COCO body): estimate with a COCO-17 model')
    if all(isinstance(e, dict) and 'keypoints' in e for e in content):
        raise SampleError(
            'not a video', 'instance_info holds the persons of one image; '
            'run the demo on a video')
    by_id = {}
    for entry in content:
        if not isinstance(entry, dict) or 'instances' not in entry \
                or not isinstance(entry.get('frame_id'), int) \
                or isinstance(entry['frame_id'], bool):
            raise SampleError('garbled file', 'a frame entry without an int '
                              'frame_id and an instances list')
        frame_id = entry['frame_id']
        if frame_id in by_id:
            raise SampleError('garbled file', f'frame_id {frame_id} twice')
        if not isinstance(entry['instances'], list):
            raise SampleError('garbled file',
                              f'frame {frame_id}: instances is not a list')
        by_id[frame_id] = [
            _instance(raw, f'frame {frame_id}') for raw in entry['instances']
        ]
    first, span = min(by_id), max(by_id) - min(by_id) + 1
    if span > _MAX_SPAN_FACTOR * len(by_id):
        raise SampleError('garbled file',
                          f'frame ids span {span} frames but only '
                          f'{len(by_id)} are listed')
    frames = [by_id.get(first + t, []) for t in range(span)]
    return frames, meta


def top_per_frame(frames: Sequence[Sequence[Instance]],
                  max_persons: int) -> Tuple[np.ndarray, np.ndarray, int]:
    """The ``max_persons`` instances of highest mean keypoint score in
    every frame, best first (ties keep the file's order), zero-padded.

    Returns:
        tuple: keypoint (M, T, 17, 2), keypoint_score (M, T, 17) with
        M = min(max_persons, most instances in a frame), and the number of
        frames that had more than ``max_persons``.
    """
    most = max((len(f) for f in frames), default=0)
    persons = min(max_persons, most)
    keypoint = np.zeros((persons, len(frames), NUM_JOINTS, 2))
    score = np.zeros((persons, len(frames), NUM_JOINTS))
    crowded = 0
    for t, instances in enumerate(frames):
        crowded += len(instances) > max_persons
        order = sorted(range(len(instances)),
                       key=lambda i: -float(instances[i][1].mean()))
        for m, i in enumerate(order[:persons]):
            keypoint[m, t], score[m, t] = instances[i]
    return keypoint, score, crowded


def read_pose_pickle(path: str) -> Dict:
    """keypoint (M, T, 17, 2), keypoint_score (M, T, 17), img_shape and
    original_shape (None when absent) of one ntu_pose_extraction pickle.

    Raises:
        SampleError: Not a pickle of one such dict, wrong shapes, a
            ``total_frames`` that disagrees with the arrays.
    """
    try:
        with open(path, 'rb') as f:
            data = pickle.load(f)
    except Exception as error:  # noqa: BLE001 - any unpickling failure
        raise SampleError('garbled file',
                          f'{type(error).__name__}: {error}'[:80]) from None
    if not isinstance(data, dict) or 'keypoint' not in data \
            or 'keypoint_score' not in data:
        kind = type(data).__name__
        raise SampleError(
            'garbled file', f'holds a {kind}, want one video\'s dict with '
            'keypoint and keypoint_score (ntu_pose_extraction.py output)')
    try:
        keypoint = np.asarray(data['keypoint'], dtype=np.float64)
        score = np.asarray(data['keypoint_score'], dtype=np.float64)
    except (TypeError, ValueError):
        raise SampleError('garbled file', 'keypoint is not a numeric '
                          'array') from None
    if keypoint.ndim == 4 and keypoint.shape[-1] != 2:
        raise SampleError('wrong coordinate count',
                          f'keypoint shape {keypoint.shape}, want '
                          f'(M, T, {NUM_JOINTS}, 2) pixels')
    if keypoint.ndim != 4 or keypoint.shape[2] != NUM_JOINTS:
        raise SampleError('wrong joint count',
                          f'keypoint shape {keypoint.shape}, want '
                          f'(M, T, {NUM_JOINTS}, 2) (COCO body)')
    if score.shape != keypoint.shape[:3]:
        raise SampleError('wrong shape',
                          f'keypoint_score shape {score.shape}, want '
                          f'{keypoint.shape[:3]}')
    total = data.get('total_frames')
    if total is not None and int(total) != keypoint.shape[1]:
        raise SampleError('frame count mismatch',
                          f'total_frames={total} but keypoint has '
                          f'{keypoint.shape[1]} frames')
    return dict(keypoint=keypoint, keypoint_score=score,
                img_shape=data.get('img_shape'),
                original_shape=data.get('original_shape'))


def top_tracks(keypoint: np.ndarray, score: np.ndarray,
               max_persons: int) -> Tuple[np.ndarray, np.ndarray]:
    """The ``max_persons`` person tracks of highest mean keypoint score
    over the clip (absent frames count 0), in their original order;
    tracks present in no frame are dropped."""
    present = ((score > 0) | (keypoint != 0).any(-1)).any(axis=(1, 2))
    mean = score.mean(axis=(1, 2))
    candidates = [m for m in range(len(mean)) if present[m]]
    best = sorted(candidates, key=lambda m: -mean[m])[:max_persons]
    keep = sorted(best)
    return keypoint[keep], score[keep]


class PoseEstimateConverter(SkeletonConverter):
    """Convert a folder of per-video pose estimates (module docstring).

    Args:
        src (str): Folder of ``.json`` / ``.pkl`` files; with no
            ``labels``, one subfolder per class (``src/<class>/...``).
        labels (str, optional): CSV ``file,label[,split]``; ``file`` is
            relative to ``src`` (the extension may be left out), ``label``
            a class id or name in every row.
        max_persons (int): Persons kept per frame. Defaults to 2.
        img_shape (tuple, optional): (h, w) of the videos, for files that
            record none.
        val_fraction (float, optional): Share of each class held out as
            ``val`` when the CSV gives no split; None or 0: everything is
            ``train`` and no ``val`` split is written.
        seed (int): Seed of that split. Defaults to 0.
    """

    layout = 'coco'

    def __init__(self,
                 src: str,
                 labels: Optional[str] = None,
                 max_persons: int = 2,
                 img_shape: Optional[Sequence[int]] = None,
                 val_fraction: Optional[float] = None,
                 seed: int = 0) -> None:
        if not osp.isdir(src):
            raise FileNotFoundError(f'pose estimate folder not found: {src}')
        if max_persons < 1:
            raise ValueError(f'max_persons must be 1 or more, got '
                             f'{max_persons}')
        self.src, self.max_persons = src, max_persons
        self.img_shape = None if img_shape is None else check_img_shape(
            img_shape, '--img-shape')
        files = find_files(src, JSON_SUFFIXES + PICKLE_SUFFIXES)
        if labels is None:
            self.classes, label_of = folder_labels(src, files)
            self._why_unlabelled = ('directly in the source folder; put it '
                                    'in a class folder or give --labels')
            split_of = {}
        else:
            label_of, split_of = self._csv_labels(labels, files)
        if not label_of:
            raise ValueError(f'no .json, .pkl or .pickle file under {src}')
        if split_of and val_fraction:
            raise ValueError(f'{labels} has a split column and val_fraction '
                             f'is {val_fraction}; use one of them')
        self._label_of, self._given_split = label_of, split_of
        self.val_fraction, self.seed = val_fraction, seed
        self.split_names = ('train', 'val') if (
            split_of or val_fraction) else ('train', )
        used = [v for v in label_of.values() if v is not None]
        self.num_classes = len(self.classes) if self.classes else (
            max(used) + 1 if used else 0)
        # name -> (label, path) of the clips converted, first one wins
        # like run_conversion's duplicate check
        self._converted: Dict[str, Tuple[int, str]] = {}
        self._split_of_name: Optional[Dict[str, str]] = None
        self._img_shape_from: Counter = Counter()
        self._crowded = [0, 0]  # frames, clips
        self._outside: List[str] = []

    def _csv_labels(self, path: str, files: Sequence[str]):
        table = read_label_csv(path)
        self.classes = table.classes
        listed = {}
        for name, (label, split) in table.rows.items():
            full = osp.normpath(osp.join(self.src, name))
            if not osp.splitext(name)[1]:
                full = next((full + s for s in JSON_SUFFIXES +
                             PICKLE_SUFFIXES if osp.isfile(full + s)),
                            full + JSON_SUFFIXES[0])
            listed[full] = (label, split)
        label_of = {f: listed[f][0] for f in listed}
        for f in files:
            label_of.setdefault(osp.normpath(f), None)
        self._why_unlabelled = f'not listed in {osp.basename(path)}'
        split_of = {f: s for f, (_, s) in listed.items() if s is not None}
        return label_of, split_of

    def _splits(self) -> Dict[str, str]:
        """{name: split} of the converted clips: the CSV's, or the
        stratified split over the clips that converted (so a broken file
        takes no val place of its class)."""
        if not self.val_fraction:
            return {name: self._given_split.get(path, 'train')
                    for name, (_, path) in self._converted.items()}
        by_label: Dict[int, List[str]] = {}
        for name, (label, _) in self._converted.items():
            by_label.setdefault(label, []).append(name)
        val = stratified_val(by_label, self.val_fraction, self.seed)
        return {name: 'val' if name in val else 'train'
                for name in self._converted}

    @staticmethod
    def _name(path: str) -> str:
        return osp.splitext(osp.basename(path))[0]

    def sources(self) -> List[str]:
        return sorted(self._label_of)

    def source_name(self, source: str) -> str:
        return osp.relpath(source, self.src)

    def convert(self, source: str, report: ConversionReport) -> List[Dict]:
        label = self._label_of.get(source)
        if label is None:
            raise SampleError('no label', self._why_unlabelled)
        if not osp.isfile(source):
            raise SampleError('missing file',
                              'listed in the labels CSV, not found')
        if source.lower().endswith(JSON_SUFFIXES):
            frames, meta = read_mmpose_json(source)
            keypoint, score, crowded = top_per_frame(frames,
                                                     self.max_persons)
            self._crowded[0] += crowded
            self._crowded[1] += crowded > 0
            recorded, original = meta.get('img_shape'), None
        else:
            data = read_pose_pickle(source)
            keypoint, score = top_tracks(data['keypoint'],
                                         data['keypoint_score'],
                                         self.max_persons)
            recorded, original = data['img_shape'], data['original_shape']
        if keypoint.shape[0] == 0:
            raise SampleError('no person', 'nobody in any frame')
        img_shape = self._frame_size(recorded, keypoint, score)
        name = self._name(source)
        if original is not None:
            original = check_img_shape(original, 'original_shape')
        annotation = make_annotation_2d(name, label, keypoint, score,
                                        img_shape, NUM_JOINTS, original)
        if outside_fraction(keypoint, score, img_shape) > 0.01:
            self._outside.append(name)
        self._converted.setdefault(name, (label, source))
        return [annotation]

    def _frame_size(self, recorded, keypoint, score) -> Tuple[int, int]:
        if recorded is not None:
            self._img_shape_from['the files'] += 1
            return check_img_shape(recorded, 'the file\'s img_shape')
        if self.img_shape is not None:
            self._img_shape_from['--img-shape'] += 1
            return self.img_shape
        self._img_shape_from['the keypoint extent'] += 1
        return keypoint_extent(keypoint, score)

    def splits_of(self, annotation: Dict) -> List[str]:
        if self._split_of_name is None:  # all clips are converted by now
            self._split_of_name = self._splits()
        return [self._split_of_name[annotation['frame_dir']]]

    def top_level_fields(self) -> Dict:
        """``classes`` (names by label id) when the labels have names."""
        return dict(classes=list(self.classes)) if self.classes else {}

    def extra_summary(self) -> Dict:
        lines = {}
        if self._crowded[0]:
            lines['persons'] = (
                f'{self._crowded[0]} frames of {self._crowded[1]} clips had '
                f'more than {self.max_persons}; kept the {self.max_persons} '
                'of highest mean keypoint score')
        sources = ', '.join(f'{n} from {k}'
                            for k, n in sorted(self._img_shape_from.items()))
        if sources:
            lines['img_shape'] = sources
        if self._img_shape_from['the keypoint extent']:
            lines['warning'] = (
                f"{self._img_shape_from['the keypoint extent']} clips record "
                'no frame size, so img_shape is their keypoint extent (a '
                'different, too small frame per clip); pass --img-shape H W, '
                'the frame size of the videos')
        if self._outside:
            shown = ', '.join(self._outside[:3])
            lines['warning: keypoints outside img_shape'] = (
                f'{len(self._outside)} clips ({shown}'
                f'{" ..." if len(self._outside) > 3 else ""}) have over 1% '
                'of their joints more than 5% outside img_shape; check the '
                'frame size (ntu_pose_extraction.py records 1080x1920 '
                'whatever the video)')
        return lines
