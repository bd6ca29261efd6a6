"""MMAction2's PoseDataset, with the settings of the data on the dataset and
the data checked against them when it is loaded."""
import os.path as osp
import warnings
from collections import Counter
from typing import Callable, Dict, List, Optional, Union

import numpy as np

from mmaction.datasets import PoseDataset
from mmaction.registry import DATASETS
from mmengine.logging import MMLogger
from ..skeleton.channels import data_coord_dims
from ..skeleton.fit import layout_misfit
from ..skeleton.layouts import (LAYOUTS, get_layout, layout_difference, layout_label,
                                layout_name, same_layout)
from .annotation_file import load_annotation_file, select_split
from .data_record import (data_layout, data_num_classes, read_record,
                          remember_record)
from .data_settings import apply_data_settings
from .keypoint_store import STORE_KEY, KeypointStore
from .label_fraction import check_fraction, label_fraction_subset

# Samples looked at by the load-time checks of the data against the
# settings: enough for a stable median, cheap for NTU-sized sets.
_CHECK_SAMPLES = 64


@DATASETS.register_module()
class SkeletonDataset(PoseDataset):
    """A skeleton pickle (MMAction2's format) plus what the data is.

    ``layout``, ``num_person``, ``clip_len`` and ``min_crop_length`` are
    set here once; the pipeline's transforms that take them
    (``PreNormalize2sAGCN``, ``TemporalCropResize``, ``CenterCropResize``,
    ``FormatGCNInput``) follow (see :mod:`.data_settings`). The layout and
    the class count need not be stated when the pickle records them
    (top-level ``layout``: a registered name or a definition;
    ``num_classes`` or ``classes``); when stated they must agree with the
    record. Loading checks that the file is an annotation dict, the split
    exists and is not empty, labels are class indices below the class
    count, the joints match the layout, and so do the coordinates per
    joint (2-D keypoints with a ``keypoint_score`` need a 2-D layout such
    as ``'coco'``; every sample then carries ``coord_dims``, which tells
    the augmentations which channels are coordinates); it warns when the
    bones of the layout do not keep their length in the data or its limbs
    are not left/right symmetric, when the shortest crop is longer than
    most clips, or when ``num_person`` exceeds the persons present.
    ``label_fraction`` keeps a seeded, class-balanced share of the split
    (semi-supervised runs; see :mod:`.label_fraction`). A keypoint store
    (:mod:`.keypoint_store`: a table of contents plus one memory-mapped
    array, the format for Kinetics-sized sets) loads the same way; its
    clips are read from the map when the pipeline asks (:meth:`get_sample`).

    Args:
        ann_file (str): The ``.pkl`` annotation file.
        pipeline (list[dict | callable]): Transforms.
        split (str, optional): Split name in the file's ``split`` dict.
        layout (str | dict, optional): Skeleton layout of the data; None:
            the one the pickle records.
        num_person (int, optional): Persons per sample after formatting.
        clip_len (int, optional): Frames per clip after cropping.
        min_crop_length (int, optional): Shortest temporal crop.
        num_classes (int, optional): Classes of the labels; None: the
            pickle's ``num_classes`` or ``len(classes)``, if recorded.
        label_fraction (float, optional): Share of each class of the split
            to keep, in (0, 1]; None keeps all.
        subset_seed (int): Which subset ``label_fraction`` keeps.
        **kwargs: PoseDataset / BaseDataset arguments.
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[Dict, Callable]],
                 split: Optional[str] = None,
                 layout: Optional[Union[str, dict]] = None,
                 num_person: Optional[int] = None,
                 clip_len: Optional[int] = None,
                 min_crop_length: Optional[int] = None,
                 num_classes: Optional[int] = None,
                 label_fraction: Optional[float] = None,
                 subset_seed: int = 0,
                 **kwargs) -> None:
        if layout is not None:
            get_layout(layout, where='dataset layout')
        else:
            layout = _recorded_layout(ann_file, kwargs.get('data_root'))
        self.layout = layout
        self.num_person = num_person
        self.clip_len = clip_len
        self.min_crop_length = min_crop_length
        owner = f'dataset {osp.basename(str(ann_file))!r} split {split!r}'
        if label_fraction is not None:
            label_fraction = check_fraction(label_fraction,
                                            'label_fraction', f' of {owner}')
        if isinstance(subset_seed, bool) or not isinstance(subset_seed, int):
            raise ValueError(
                f'subset_seed={subset_seed!r} of {owner} is not an integer; '
                'give the seed of the label subset as an int.')
        self.label_fraction = label_fraction
        self.subset_seed = subset_seed
        self._store: Optional[KeypointStore] = None  # set by loading
        pipeline = apply_data_settings(
            pipeline,
            dict(layout=layout, num_person=num_person, clip_len=clip_len,
                 min_crop_length=min_crop_length), owner)
        # BaseActionDataset keeps num_classes (before loading the data)
        super().__init__(ann_file, pipeline=pipeline, split=split,
                         num_classes=num_classes, **kwargs)

    def load_data_list(self) -> List[Dict]:
        data = load_annotation_file(self.ann_file)
        samples = select_split(data, self.split, self.ann_file)
        if STORE_KEY in data:
            self._store = KeypointStore(self.ann_file, data[STORE_KEY])
            self._store.check(samples)
        self._check_layout_record(data.get('layout'))
        self._check_num_classes(data_num_classes(data, self.ann_file))
        if data.get('classes') is not None:  # names for plots and reports
            self._metainfo.setdefault('classes', tuple(data['classes']))
        if not isinstance(data.get('layout'), str) \
                or data['layout'] in LAYOUTS:  # a record of a known layout
            remember_record(self.ann_file, data)  # the next launch reads it
        for sample in samples:
            _check_label(sample, self.ann_file, self.num_classes)
        dims = self._check_against_settings(samples)
        if dims is not None:  # read by the geometric augmentations
            for sample in samples:
                sample['coord_dims'] = dims
        if self.label_fraction is not None:
            samples = self._label_subset(samples)
        return samples

    def get_sample(self, idx: int) -> Dict:
        """Sample ``idx`` with its keypoints: what the pipeline starts
        from. A keypoint store's clip is read here, so ``get_data_info``
        (labels, subsets) stays as cheap as the table of contents."""
        info = self.get_data_info(idx)
        if self._store is not None:
            info.update(self._store.read(info))
        return info

    def prepare_data(self, idx: int):
        return self.pipeline(self.get_sample(idx))

    def _label_subset(self, samples: List[Dict]) -> List[Dict]:
        unlabelled = [s.get('frame_dir') for s in samples
                      if s.get('label') is None]
        if unlabelled:
            raise ValueError(
                f'label_fraction is set but {len(unlabelled)} samples of '
                f'{self._where()} have no label (e.g. {unlabelled[0]!r}); '
                'use a labelled split or drop label_fraction.')
        key = 'filename' if 'filename' in samples[0] else 'frame_dir'
        labels = [int(s['label']) for s in samples]
        keep = label_fraction_subset([s[key] for s in samples], labels,
                                     self.label_fraction, self.subset_seed)
        kept, total = Counter(labels[i] for i in keep), Counter(labels)
        per_class = ', '.join(f'{c}: {kept[c]}/{total[c]}'
                              for c in sorted(total))
        raised = [c for c in total if self.label_fraction * total[c] < 1]
        if raised:
            _warn(f'label_fraction={self.label_fraction} is less than one '
                  f'clip for {len(raised)} of {len(total)} classes of '
                  f'{self._where()}; each class keeps at least one, so the '
                  f'run uses {len(keep)} of {len(samples)} clips = '
                  f'{len(keep) / len(samples):.1%} of the labels, not '
                  f'{self.label_fraction:.1%}. Report that fraction, or use '
                  f'label_fraction >= {1 / min(total.values()):.3g} (one clip '
                  'of the smallest class).')
        MMLogger.get_current_instance().info(
            f'label_fraction={self.label_fraction} subset_seed='
            f'{self.subset_seed}: kept {len(keep)} of {len(samples)} '
            f'samples of {self._where()}; per class (label: kept/all) '
            f'{per_class}')
        return [samples[i] for i in keep]

    def _where(self) -> str:
        return f'{self.ann_file} (split {self.split!r})'

    def _check_layout_record(self, recorded) -> None:
        if isinstance(recorded, str) and recorded not in LAYOUTS \
                and recorded == layout_name(self.layout):
            return  # the config defines the name the converter recorded
        if isinstance(recorded, str) and recorded not in LAYOUTS \
                and self.layout is not None:
            raise ValueError(
                f'{self.ann_file} was converted for the {recorded!r} layout '
                '(not registered here), but the dataset config says '
                f'layout={layout_label(self.layout)}. Write the layout\'s '
                'definition into the pickle (its top-level layout) or '
                'register it, then drop layout from the config.')
        recorded = data_layout(dict(layout=recorded), self.ann_file)
        if recorded is None or self.layout is None:
            return
        if not same_layout(recorded, self.layout):
            named = layout_name(recorded)
            what = (f'the {named!r} layout' if named else
                    f'a {get_layout(recorded)["num_node"]}-joint layout '
                    'definition')
            raise ValueError(
                f'{self.ann_file} was converted for {what} but the dataset '
                f'config says layout={layout_label(self.layout)} (they differ '
                'in: '
                f'{layout_difference(recorded, self.layout)}). Remove layout '
                'from the dataset config -- the data\'s own is used -- or '
                'convert the data for the layout you mean.')

    def _check_num_classes(self, recorded: Optional[int]) -> None:
        if recorded is None:
            return
        if self.num_classes is None:
            self.num_classes = recorded
        elif self.num_classes != recorded:
            raise ValueError(
                f'{self.ann_file} records {recorded} classes but the dataset '
                f'config says num_classes={self.num_classes}. Remove '
                'num_classes from the dataset config (the data\'s is used) '
                'or fix the pickle.')

    def _misfit_message(self, misfit: Dict[str, list],
                        flat: bool = False) -> str:
        name = layout_name(self.layout) or '(unnamed)'
        parts = []
        if misfit['bones']:
            pairs = ', '.join(f'{j + 1}->{p + 1}' for j, p in
                              misfit['bones'][:8])
            parts.append(
                f'{len(misfit["bones"])} bones (1-based joint->parent: '
                f'{pairs}) change length over frames more than the distances '
                'between most other joints do, which true bones never do')
        if misfit['pairs']:
            pairs = ', '.join(f'{a + 1}/{b + 1}' for a, b in
                              misfit['pairs'][:8])
            parts.append(
                f'{len(misfit["pairs"])} left/right pairs (1-based joints '
                f'{pairs}) have bones of different lengths, which mirror '
                'limbs never have')
        caveat = ''
        if flat and not misfit['bones']:
            caveat = (' (2-D keypoints: when every clip films its subject '
                      'from the same side, mirror limbs project to '
                      'different lengths and this may be no misfit; see '
                      'cmd_plugin/skeleton/fit.py)')
        return (f'layout {name!r} does not fit {self._where()}: '
                + '; '.join(parts) + caveat + '. The data likely uses '
                "another joint order: remove the layout from the config (the "
                "pickle's own is used) or set the one the data was recorded "
                'with.')

    def _check_against_settings(self, samples: List[Dict]) -> Optional[int]:
        """Check a few samples against the settings; the data's
        coordinates per joint (None without a layout)."""
        if not samples:
            return None
        step = max(1, len(samples) // _CHECK_SAMPLES)
        picked = samples[::step][:_CHECK_SAMPLES]
        if self._store is not None:
            picked = [dict(s, **self._store.read(s)) for s in picked]
        keypoints = [np.asarray(s['keypoint']) for s in picked]
        dims = None
        if self.layout is not None:
            num_node = int(get_layout(self.layout)['num_node'])
            joints = {k.shape[2] for k in keypoints if k.ndim == 4}
            if joints - {num_node}:
                raise ValueError(
                    f'{self._where()} has {sorted(joints)} joints per frame '
                    f'but layout {layout_name(self.layout)!r} has '
                    f'{num_node}. Set the dataset\'s and model\'s layout to '
                    'the one the data was recorded with.')
            dims = self._coord_dims(picked, keypoints)
            misfit = layout_misfit(keypoints, self.layout)
            if misfit:
                _warn(self._misfit_message(misfit, flat=dims == 2))
        lengths = np.array([int(s.get('total_frames', 0)) for s in samples])
        if self.min_crop_length and np.mean(
                lengths < self.min_crop_length) > 0.5:
            _warn(f'min_crop_length={self.min_crop_length} exceeds the '
                  f'length of {np.mean(lengths < self.min_crop_length):.0%} '
                  f'of the clips of {self._where()} (median '
                  f'{int(np.median(lengths))} frames): their temporal crop '
                  'keeps the whole clip. Set the dataset\'s min_crop_length '
                  'below the typical clip length.')
        persons = max(_persons_present(k) for k in keypoints)
        if self.num_person and persons < self.num_person:
            _warn(f'num_person={self.num_person} but no checked sample of '
                  f'{self._where()} has more than {persons} person(s): the '
                  'extra person slots are zeros. Set the dataset\'s '
                  f'num_person={persons}.')
        return dims

    def _coord_dims(self, picked: List[Dict],
                    keypoints: List[np.ndarray]) -> Optional[int]:
        """Coordinates per joint of the checked samples, which must agree
        with each other and with the layout."""
        kinds = {(k.shape[-1], 'keypoint_score' in s)
                 for s, k in zip(picked, keypoints) if k.ndim == 4}
        if len(kinds) > 1:
            raise ValueError(
                f'{self._where()} mixes keypoints of {sorted(kinds)} '
                '(channels, has keypoint_score); every sample of a dataset '
                'needs the same. Check the converter.')
        if not kinds:
            return None
        channels, scored = kinds.pop()
        return data_coord_dims(channels, scored, self.layout, self._where())


def _check_label(sample: Dict, ann_file: str,
                 num_classes: Optional[int]) -> None:
    label = sample.get('label')
    if label is None:
        return
    if isinstance(label, (bool, np.bool_)) or int(label) != label \
            or int(label) < 0:
        raise ValueError(
            f'{ann_file}: sample {sample.get("frame_dir")!r} has label '
            f'{label!r}; labels are 0-based class indices (>= 0). Fix the '
            'converter (1-based labels need - 1) or drop unlabelled samples.')
    if num_classes is not None and int(label) >= num_classes:
        raise ValueError(
            f'{ann_file}: sample {sample.get("frame_dir")!r} has label '
            f'{int(label)} but the data has num_classes={num_classes} '
            f'(labels 0..{num_classes - 1}). Fix the converter (1-based '
            'labels need - 1) or the class count (the dataset\'s '
            'num_classes, or the pickle\'s num_classes / classes).')


def _recorded_layout(ann_file: str, data_root: Optional[str]):
    """The layout the pickle records (None when it records none, or the
    file is missing: loading then says so)."""
    path = ann_file
    if data_root and not osp.isabs(path):
        path = osp.join(data_root, path)
    if not osp.isfile(path):
        return None
    return read_record(path)['layout']


def _persons_present(keypoint: np.ndarray) -> int:
    if keypoint.ndim != 4:
        return 0
    # any non-zero value, not a sum: float16 pixel sums overflow to inf
    return int((keypoint != 0).reshape(keypoint.shape[0], -1).any(1).sum())


class DataSettingsWarning(UserWarning):
    """The data and the dataset's settings seem not to fit."""


def _warn(message: str) -> None:
    warnings.warn(message, DataSettingsWarning, stacklevel=2)
