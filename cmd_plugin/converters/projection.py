"""A 3D skeleton pickle seen by a camera: 2D keypoints in pixels with a
score, the shape of MMAction2's 2D annotations.

Real 2-D pose data is scarce here; a 3-D set projected to the image plane
is a second real check of the 2-D path whose 3-D numbers are known. Two
cameras:

- ``orthographic``: drop z, one fixed frame for the whole set (its x/y
  extent plus a 5% margin at ``pixels_per_unit``), image y pointing down.
  Every clip shares the frame, as clips of one fixed camera would, so
  MMAction2's 2-D head (centre and scale by the frame) sees where in the
  room each person stands.
- ``pinhole``: ``u = f x / z + cx``, ``v = -f y / z + cy`` with a Kinect
  v1 camera by default (f = 525 px, 640 x 480); a joint at z <= 0 cannot
  be seen and is dropped like a missing one.

Scores are 1 for every joint present in the 3-D data and 0 (coordinates
0, MMAction2's convention) where the 3-D joint is all zero. Splits, labels
and ``classes`` carry over; the layout is the 3-D one as a definition
with ``coord_dims=2`` and the name suffixed ``-xy`` (the 2-D data is a
different input, so checkpoints keep it apart from the 3-D layout).
"""
import math
from typing import Dict, Iterable, List, Optional, Tuple

import numpy as np

from ..skeleton.layouts import as_definition, layout_name
from .keypoint2d import make_annotation_2d
from .pickle_source import PickleSourceConverter
from .report import ConversionReport, SampleError

CAMERAS = ('orthographic', 'pinhole')
KINECT_V1 = dict(focal=525.0, img_shape=(480, 640))


def projected_layout(layout) -> dict:
    """The 2-D layout of a 3-D layout's projection: same joints and bones,
    ``coord_dims=2``, ``-xy`` after the name."""
    return dict(as_definition(layout), coord_dims=2,
                name=f'{layout_name(layout) or "3d"}-xy')


def present_joints(keypoint: np.ndarray) -> np.ndarray:
    """(M, T, V) mask: the 3-D joint is not all zeros (converters store a
    missing joint or person as zeros)."""
    return (np.asarray(keypoint) != 0).any(-1)


def orthographic_frame(annotations: Iterable[Dict],
                       pixels_per_unit: float) -> Tuple[Tuple[int, int],
                                                        Tuple[float, float]]:
    """((h, w), (x0, y1)): the frame holding every present joint of the
    set with a 5% margin, and the world (x, y) at its top-left corner."""
    low = np.full(2, np.inf)
    high = np.full(2, -np.inf)
    for annotation in annotations:
        keypoint = np.asarray(annotation['keypoint'], np.float64)
        points = keypoint[present_joints(keypoint)][:, :2]
        # a clip with NaN is refused when it is converted; not here
        points = points[np.isfinite(points).all(1)]
        if len(points):
            low = np.minimum(low, points.min(0))
            high = np.maximum(high, points.max(0))
    if not np.isfinite(low).all():
        raise ValueError('no present joint in the whole pickle: nothing to '
                         'project')
    margin = 0.05 * np.maximum(high - low, 1e-6)
    low, high = low - margin, high + margin
    w, h = (max(1, math.ceil(v)) for v in (high - low) * pixels_per_unit)
    return (h, w), (float(low[0]), float(high[1]))


def project(keypoint: np.ndarray, camera: str, pixels_per_unit: float,
            origin: Tuple[float, float], focal: float,
            img_shape: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    """(M, T, V, 3) world coordinates -> ((M, T, V, 2) pixels, (M, T, V)
    scores)."""
    keypoint = np.asarray(keypoint, np.float64)
    seen = present_joints(keypoint)
    x, y, z = keypoint[..., 0], keypoint[..., 1], keypoint[..., 2]
    if camera == 'orthographic':
        u = (x - origin[0]) * pixels_per_unit
        v = (origin[1] - y) * pixels_per_unit
    else:
        seen &= z > 0
        depth = np.where(seen, z, 1.0)
        h, w = img_shape
        u = focal * x / depth + w / 2
        v = -focal * y / depth + h / 2
    pixels = np.stack([u, v], -1) * seen[..., None]
    return pixels, seen.astype(np.float32)


class ProjectionConverter(PickleSourceConverter):
    """Every annotation of a 3-D skeleton pickle, projected to 2-D.

    Args:
        src (str): The 3-D annotation pickle (``split`` / ``annotations``,
            ``keypoint`` (M, T, V, 3), a ``layout``).
        camera (str): ``'orthographic'`` or ``'pinhole'``.
        pixels_per_unit (float): Orthographic scale (pixels per metre for
            Kinect data). Defaults to 200.
        focal (float): Pinhole focal length in pixels. Defaults to 525.
        img_shape (tuple, optional): Pinhole frame (h, w). Defaults to
            Kinect v1's 480 x 640.
    """

    def __init__(self, src: str, camera: str = 'orthographic',
                 pixels_per_unit: float = 200.0,
                 focal: float = KINECT_V1['focal'],
                 img_shape: Optional[Tuple[int, int]] = None) -> None:
        if camera not in CAMERAS:
            raise ValueError(f'camera={camera!r}: pick one of {CAMERAS}')
        super().__init__(src)
        definition = as_definition(self.layout)
        if definition.get('coord_dims', 3) != 3:
            raise ValueError(f'{src} holds 2-D keypoints already '
                             f'(layout {layout_name(self.layout)!r})')
        self.camera = camera
        self.pixels_per_unit = float(pixels_per_unit)
        self.focal = float(focal)
        self.num_joints = int(definition['num_node'])
        self.layout = projected_layout(self.layout)
        if camera == 'orthographic':
            self.img_shape, self.origin = orthographic_frame(
                self.data['annotations'], self.pixels_per_unit)
        else:
            self.img_shape = tuple(img_shape or KINECT_V1['img_shape'])
            self.origin = (0.0, 0.0)

    def convert(self, source: str, report: ConversionReport) -> List[Dict]:
        annotation = self.annotation(source)
        keypoint = np.asarray(annotation['keypoint'])
        if keypoint.ndim != 4 or keypoint.shape[-1] != 3:
            raise SampleError('wrong shape', f'keypoint shape '
                              f'{keypoint.shape}, want (M, T, V, 3)')
        pixels, score = project(keypoint, self.camera, self.pixels_per_unit,
                                self.origin, self.focal, self.img_shape)
        if not score.any():
            raise SampleError('empty clip', 'no joint in front of the '
                              'camera')
        return [make_annotation_2d(source, annotation.get('label'), pixels,
                                   score, self.img_shape, self.num_joints)]

    def extra_summary(self) -> Dict:
        return dict(camera=self.camera, img_shape=list(self.img_shape))
