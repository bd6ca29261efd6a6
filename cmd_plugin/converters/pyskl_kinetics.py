"""pyskl's Kinetics-400 skeletons (a table of contents plus kpfiles) ->
a keypoint store.

pyskl ships ``k400_hrnet.pkl`` without keypoints: each annotation has
``frame_dir``, ``label``, ``total_frames``, ``img_shape``,
``original_shape``, ``raw_file`` (the kpfile holding it), ``frame_inds``
(the frame of each detected skeleton) and ``box_score``; each kpfile maps
``frame_dir`` to ``dict(keypoint=(N, V, 3))``, one row (x, y, score) per
detected skeleton. pyskl reads them through memcached; a plain random
read of a kpfile per sample would unpickle tens of megabytes for one clip.
So they are converted once, one kpfile in memory at a time, into the
memory-mapped store every rank shares.

Decisions:

- Skeletons whose ``box_score`` is below ``box_thr`` are dropped (pyskl's
  Kinetics configs use 0.5), then MMAction2's own ``DecompressPose``
  (squeeze: frames without a skeleton are dropped; at most ``max_person``
  per frame, ranked by their summed keypoint scores when more were
  detected) turns the rest into ``keypoint`` (M, T, V, 2) and
  ``keypoint_score`` (M, T, V): the arrays MMAction2's Kinetics pipeline
  sees.
- A clip with no skeleton left, a missing kpfile or a kpfile without the
  clip is reported and skipped.
- ``raw_file`` is looked up by its base name in ``kpfiles`` (pyskl's
  paths are relative to its own checkout).
- ``box_thr`` applies to every split (val and test included), so every
  split sees the same detections.
"""
import os.path as osp
import pickle
from collections import OrderedDict
from typing import Dict, Iterable, List, Optional

import numpy as np
from mmaction.datasets.transforms import DecompressPose

from ..skeleton.layouts import get_layout
from .base import SkeletonConverter
from .keypoint2d import make_annotation_2d
from .pickle_source import carried_fields, class_count, split_membership
from .report import ConversionReport, SampleError


class PysklKineticsConverter(SkeletonConverter):
    """Every clip of a pyskl Kinetics table of contents, kpfile by kpfile.

    Args:
        src (str): The table of contents (``k400_hrnet.pkl``).
        kpfiles (str): The folder of the kpfiles.
        box_thr (float): Drop skeletons with a lower ``box_score``.
            Defaults to 0.5 (pyskl's Kinetics configs).
        max_person (int): Persons kept per frame. Defaults to 2 (what the
            skeleton-GCN configs read).
        layout (str | dict): The joints of the kpfiles. Defaults to
            ``'coco'`` (HRNet COCO-17).
    """

    def __init__(self, src: str, kpfiles: str, box_thr: float = 0.5,
                 max_person: int = 2, layout='coco') -> None:
        if not osp.isdir(kpfiles):
            raise ValueError(f'--kpfiles {kpfiles} is not a folder; give '
                             "the folder of pyskl's kpfiles")
        with open(src, 'rb') as f:
            data = pickle.load(f)
        if not isinstance(data, dict) or not isinstance(
                data.get('annotations'), list):
            raise ValueError(f'{src}: not a pyskl table of contents (want a '
                             "dict with 'split' and 'annotations')")
        missing = [a.get('frame_dir') for a in data['annotations']
                   if 'raw_file' not in a]
        if missing:
            raise ValueError(
                f'{src}: {len(missing)} annotations have no raw_file (e.g. '
                f'{missing[0]!r}); this is not a kpfile table of contents. '
                'A whole pickle converts with --src alone.')
        self.src, self.kpfiles = src, kpfiles
        self.box_thr, self.max_person = float(box_thr), int(max_person)
        self.layout = layout
        self.data = data
        self.decompress = DecompressPose(squeeze=True,
                                         max_person=self.max_person)
        self.split_names = tuple(data.get('split') or ())
        self._splits = split_membership(data.get('split'))
        # clips grouped by kpfile, so each kpfile is read once
        self._groups: Dict[str, List[Dict]] = OrderedDict()
        for annotation in data['annotations']:
            self._groups.setdefault(osp.basename(annotation['raw_file']),
                                    []).append(annotation)
        self.num_classes = class_count(data, src)
        self.num_joints = int(get_layout(layout)['num_node'])

    def sources(self) -> List[str]:
        return list(self._groups)

    def convert(self, source: str, report: ConversionReport) -> List[Dict]:
        path = osp.join(self.kpfiles, source)
        if not osp.isfile(path):
            raise SampleError('missing kpfile', f'{path} does not exist '
                              f'({len(self._groups[source])} clips)')
        with open(path, 'rb') as f:
            kpfile = pickle.load(f)
        samples = []
        for annotation in self._groups[source]:
            name = annotation['frame_dir']
            try:
                samples.append(self._clip(annotation, kpfile.get(name)))
            except Exception as error:  # noqa: BLE001 - one clip, not the
                report.add_error(name, error)  # kpfile's others
        return samples

    def _clip(self, annotation: Dict, stored: Optional[Dict]) -> Dict:
        if stored is None:
            raise SampleError('not in kpfile', f'{annotation["raw_file"]} '
                              'has no entry for this clip')
        keypoint = np.asarray(stored['keypoint'] if isinstance(stored, dict)
                              else stored)
        frame_inds = np.asarray(stored.get('frame_inds',
                                           annotation.get('frame_inds'))
                                if isinstance(stored, dict) else
                                annotation.get('frame_inds'))
        if keypoint.ndim != 3 or keypoint.shape[-1] != 3 \
                or frame_inds.shape != keypoint.shape[:1]:
            raise SampleError(
                'wrong shape', f'keypoint {keypoint.shape}, frame_inds '
                f'{frame_inds.shape}; want (N, V, 3) and (N,)')
        box_score = annotation.get('box_score')
        keep = np.arange(len(keypoint)) if box_score is None else \
            np.flatnonzero(np.asarray(box_score) >= self.box_thr)
        if not len(keep):
            raise SampleError('no person', f'no skeleton with box_score >= '
                              f'{self.box_thr}')
        result = self.decompress.transform(dict(
            total_frames=int(annotation['total_frames']),
            frame_inds=frame_inds, keypoint=keypoint, anno_inds=keep))
        return make_annotation_2d(
            annotation['frame_dir'], annotation.get('label'),
            result['keypoint'], result['keypoint_score'],
            annotation['img_shape'], self.num_joints,
            annotation.get('original_shape'))

    def splits_of(self, annotation: Dict) -> Iterable[str]:
        return self._splits.get(annotation['frame_dir'], ())

    def top_level_fields(self) -> Dict:
        return carried_fields(self.data)
