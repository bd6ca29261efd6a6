"""Synthetic NTU-25 skeleton actions that can only be told apart by motion.

A small, fast, deterministic stand-in for NTU RGB+D in tests and smoke runs.
Bodies are built by forward kinematics over the NTU joint tree, so bone
lengths are constant within a sample (subject proportions vary between
samples). Classes come in time-reversed pairs (raise / lower an arm, squat
down / stand up, walk forward / backward, circle a hand clockwise /
anticlockwise): the reversed class is the *same* generated motion played
backwards, so the distribution of single frames, and of the set of frames of
a sequence, is identical within a pair and only the temporal order tells
them apart. Nuisances: speed and length, holds before and after the action,
proportions, viewpoint (rotation about the vertical), noise and an optional
idle bystander as person 1 (zeros when absent, M is always 2).

Coordinates mimic the NTU camera frame in metres: y up, the subject around
z = 3 m facing the camera.

A 2-D variant (:func:`synthesize_sample_2d`, ``make_synthetic_dataset(
dims=2)``) films the same 3-D motion with a pinhole camera: COCO-17
keypoints in pixels of a 1920x1080 frame, a detector-like score per joint,
and ``img_shape``, as MMAction2's 2-D pickles hold them.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

# yapf: disable
SYNTHETIC_CLASSES: Tuple[str, ...] = (
    'raise right arm', 'lower right arm', 'squat down', 'stand up',
    'walk forward', 'walk backward', 'circle right hand clockwise',
    'circle right hand anticlockwise')

NUM_JOINTS = 25
# Name of the joint layout in cmd_plugin.skeleton.layouts (NTU's 25 joints).
SYNTHETIC_LAYOUT = 'nturgb+d'
# Kinematic tree rooted at the hip centre (0-based NTU joints); differs from
# the bone list of layouts.py, which is rooted at the spine shoulder.
_PARENT = {1: 0, 20: 1, 2: 20, 3: 2, 4: 20, 5: 4, 6: 5, 7: 6, 21: 7, 22: 7,
           8: 20, 9: 8, 10: 9, 11: 10, 23: 11, 24: 11, 12: 0, 13: 12,
           14: 13, 15: 14, 16: 0, 17: 16, 18: 17, 19: 18}
_ORDER = [1, 20, 2, 3, 4, 5, 6, 7, 21, 22, 8, 9, 10, 11, 23, 24, 12, 13,
          14, 15, 16, 17, 18, 19]
# Rest pose in the body frame (x = subject's left, y = up, z = forward),
# metres, arms hanging; offset of each joint from its parent.
_REST = {1: (0, .25, 0), 20: (0, .25, 0), 2: (0, .07, 0), 3: (0, .13, .02),
         4: (.17, -.03, 0), 5: (0, -.27, 0), 6: (0, -.25, 0), 7: (0, -.07, 0),
         21: (0, -.07, 0), 22: (-.02, -.03, .04),
         12: (.09, -.03, 0), 13: (0, -.42, 0), 14: (0, -.40, 0),
         15: (0, -.05, .12)}
_MIRROR = {8: 4, 9: 5, 10: 6, 11: 7, 23: 21, 24: 22, 16: 12, 17: 13, 18: 14,
           19: 15}
_SEGMENT = dict(torso=(1, 20, 2, 3), width=(4, 8, 12, 16),
                arm=(5, 6, 7, 21, 22, 9, 10, 11, 23, 24),
                leg=(13, 14, 15, 17, 18, 19))
# yapf: enable
_FEET = [14, 15, 18, 19]
L_SHOULDER, L_ELBOW, R_SHOULDER, R_ELBOW = 4, 5, 8, 9
L_HIP, L_KNEE, L_ANKLE, R_HIP, R_KNEE, R_ANKLE = 12, 13, 14, 16, 17, 18
SPINE = 1


def _rot(axis: int, degrees: np.ndarray) -> np.ndarray:
    """(T, 3, 3) rotations about the x (0), y (1) or z (2) axis."""
    theta = np.deg2rad(np.asarray(degrees, dtype=np.float64))
    cos, sin = np.cos(theta), np.sin(theta)
    i, j = [(1, 2), (2, 0), (0, 1)][axis]
    mats = np.zeros(theta.shape + (3, 3))
    mats[..., axis, axis] = 1
    mats[..., i, i] = cos
    mats[..., j, j] = cos
    mats[..., i, j] = -sin
    mats[..., j, i] = sin
    return mats


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0, 1)
    return x * x * (3 - 2 * x)


def _envelope(p: np.ndarray, ramp: float = 0.15) -> np.ndarray:
    """1 inside the action, easing in/out over ``ramp`` of it, 0 in holds."""
    return _smoothstep(p / ramp) * _smoothstep((1 - p) / ramp)


class _Pose:
    """Joint angles over time (degrees), turned into local rotations.

    Positive flexion swings a segment forward about the subject's left-right
    axis (the knee's backward, as knees bend); at the spine-mid joint it
    leans the upper body forward. Abduction lifts an arm sideways.
    """

    def __init__(self, num_frames: int) -> None:
        self.num_frames = num_frames
        self.local: Dict[int, np.ndarray] = {}

    def _apply(self, joint: int, rotation: np.ndarray) -> None:
        current = self.local.get(joint)
        self.local[joint] = rotation if current is None else \
            current @ rotation

    def flex(self, joint: int, degrees) -> None:
        degrees = np.broadcast_to(degrees, (self.num_frames, ))
        sign = 1 if joint in (L_KNEE, R_KNEE, SPINE) else -1
        self._apply(joint, _rot(0, sign * degrees))

    def abduct(self, joint: int, degrees) -> None:
        degrees = np.broadcast_to(degrees, (self.num_frames, ))
        sign = 1 if joint == L_SHOULDER else -1
        self._apply(joint, _rot(2, sign * degrees))


def _body_offsets(rng: np.random.Generator) -> np.ndarray:
    """Bone offsets (25, 3) of one subject with random proportions."""
    offsets = np.zeros((NUM_JOINTS, 3))
    for joint, offset in _REST.items():
        offsets[joint] = offset
    for right, left in _MIRROR.items():
        offsets[right] = offsets[left] * [-1, 1, 1]
    offsets *= rng.uniform(0.85, 1.15)  # height
    for joints in _SEGMENT.values():
        offsets[list(joints)] *= rng.uniform(0.9, 1.1)
    return offsets


def _forward_kinematics(offsets: np.ndarray, pose: _Pose,
                        root: np.ndarray) -> np.ndarray:
    """Joint positions (T, 25, 3) in the body frame from local rotations
    and the hip-centre trajectory ``root`` (T, 3)."""
    num_frames = len(root)
    eye = np.broadcast_to(np.eye(3), (num_frames, 3, 3))
    glob = {0: eye}
    pos = np.zeros((num_frames, NUM_JOINTS, 3))
    pos[:, 0] = root
    for joint in _ORDER:
        parent = _PARENT[joint]
        pos[:, joint] = pos[:, parent] + glob[parent] @ offsets[joint]
        local = pose.local.get(joint)
        glob[joint] = glob[parent] if local is None else \
            glob[parent] @ local
    return pos


def _progress(num_frames: int, rng: np.random.Generator) -> np.ndarray:
    """Action progress in [0, 1] per frame, with random holds before and
    after (time spent standing still)."""
    before, after = rng.uniform(0, 0.15, size=2)
    t = np.linspace(0, 1, num_frames)
    return np.clip((t - before) / (1 - before - after), 0, 1)


def _idle(pose: _Pose, rng: np.random.Generator) -> None:
    """Subject-specific resting posture plus slow sway."""
    t = np.arange(pose.num_frames)
    for shoulder, elbow in ((L_SHOULDER, L_ELBOW), (R_SHOULDER, R_ELBOW)):
        pose.abduct(shoulder, rng.uniform(4, 12))
        pose.flex(elbow, rng.uniform(5, 20))
    pose.flex(
        SPINE,
        rng.uniform(-2, 4) + rng.uniform(0, 2) *
        np.sin(2 * np.pi * t / rng.uniform(40, 90) + rng.uniform(0, 6)))


def _raise_arm(pose: _Pose, p: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
    up = _smoothstep(p)
    pose.flex(R_SHOULDER, rng.uniform(130, 170) * up)
    pose.flex(R_ELBOW, rng.uniform(0, 15) * up)
    return np.zeros((len(p), 3))


def _squat(pose: _Pose, p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    down = rng.uniform(0.7, 1.0) * _smoothstep(p)
    hip, knee = 100 * down, 120 * down
    for h, k, a in ((L_HIP, L_KNEE, L_ANKLE), (R_HIP, R_KNEE, R_ANKLE)):
        pose.flex(h, hip)
        pose.flex(k, knee)
        pose.flex(a, knee - hip)  # keeps the foot flat
    pose.flex(SPINE, 35 * down)
    pose.flex(L_SHOULDER, 70 * down)
    pose.flex(R_SHOULDER, 70 * down)
    return np.zeros((len(p), 3))


def _walk(pose: _Pose, p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    cycles = rng.uniform(1.0, 1.4)
    phase = rng.uniform(-0.2, 0.2) + 2 * np.pi * cycles * p
    env = _envelope(p)
    swing = rng.uniform(18, 24)
    for sign, hip, knee, shoulder in ((1, L_HIP, L_KNEE, L_SHOULDER),
                                      (-1, R_HIP, R_KNEE, R_SHOULDER)):
        leg = phase if sign > 0 else phase + np.pi
        pose.flex(hip, env * swing * np.sin(leg))
        pose.flex(knee, env * 15 * (1 + np.sin(leg + 1.0)))
        pose.flex(shoulder, -env * 0.7 * swing * np.sin(leg))
    stride = rng.uniform(1.0, 1.3)  # metres per gait cycle
    distance = np.cumsum(np.diff(p, prepend=p[0]) * env)
    distance *= stride * cycles
    root = np.zeros((len(p), 3))
    # Centre the path on the subject's place so it stays in the camera's
    # range whichever way it is played.
    root[:, 2] = distance - distance[-1] / 2
    return root


def _circle(pose: _Pose, p: np.ndarray,
            rng: np.random.Generator) -> np.ndarray:
    env = _envelope(p, ramp=0.2)
    angle = rng.uniform(-0.3, 0.3) + 2 * np.pi * rng.uniform(0.9, 1.1) * p
    radius = rng.uniform(20, 30)
    pose.flex(R_SHOULDER, env * (85 + radius * np.cos(angle)))
    pose.abduct(R_SHOULDER, env * radius * np.sin(angle))
    pose.flex(R_ELBOW, env * rng.uniform(5, 20))
    return np.zeros((len(p), 3))


# Each motion serves two classes: label 2k plays it, 2k+1 plays it back.
_MOTIONS = (_raise_arm, _squat, _walk, _circle)


def _person(motion, num_frames: int, rng: np.random.Generator) -> np.ndarray:
    """One subject performing ``motion`` (None: idle), body frame, (T,25,3),
    feet on the floor y = 0."""
    offsets = _body_offsets(rng)
    pose = _Pose(num_frames)
    _idle(pose, rng)
    if motion is None:
        root = np.zeros((num_frames, 3))
    else:
        root = motion(pose, _progress(num_frames, rng), rng)
    pos = _forward_kinematics(offsets, pose, root)
    if motion is not _walk:
        # Feet stay planted: a squat moves the hips back, not the feet.
        drift = pos[:, _FEET].mean(1) - pos[0, _FEET].mean(0)
        pos[..., [0, 2]] -= drift[:, None, [0, 2]]
    pos[..., 1] -= pos[:, _FEET, 1].min(1)[:, None]
    return pos


def _place(pos: np.ndarray, yaw: float, position: np.ndarray) -> np.ndarray:
    """Body frame -> camera frame: turn about the vertical, then move."""
    return pos @ _rot(1, yaw).T + position


def synthesize_sample(label: int,
                      rng: np.random.Generator,
                      min_frames: int = 40,
                      max_frames: int = 120,
                      max_view_angle: float = 60.,
                      second_person_prob: float = 0.35,
                      noise_std: float = 0.01) -> np.ndarray:
    """Generate one sequence of class ``label``.

    Args:
        label (int): Index into :data:`SYNTHETIC_CLASSES`.
        rng (np.random.Generator): Source of all randomness.
        min_frames (int): Shortest sequence. Defaults to 40.
        max_frames (int): Longest sequence. Defaults to 120.
        max_view_angle (float): Viewpoint: the subject faces the camera
            turned by up to this many degrees about the vertical. Defaults
            to 60.
        second_person_prob (float): Chance of an idle bystander as person 1.
            Defaults to 0.35.
        noise_std (float): Gaussian joint noise in metres. Defaults to 0.01.

    Returns:
        np.ndarray: (2, T, 25, 3) float32 raw camera-frame coordinates;
        person 1 is all zeros when absent.
    """
    if not 0 <= label < len(SYNTHETIC_CLASSES):
        raise ValueError(f'label must be in [0, {len(SYNTHETIC_CLASSES)}), '
                         f'got {label}')
    if not 2 <= min_frames <= max_frames:
        raise ValueError(f'need 2 <= min_frames <= max_frames, got '
                         f'{min_frames}, {max_frames}')
    num_frames = int(rng.integers(min_frames, max_frames + 1))
    keypoint = np.zeros((2, num_frames, NUM_JOINTS, 3))
    # Facing the camera (yaw 180) give or take the viewpoint change.
    yaw = 180 + rng.uniform(-max_view_angle, max_view_angle)
    floor = -rng.uniform(0.8, 1.0)  # the camera looks from ~0.9 m up
    where = np.array([rng.uniform(-0.3, 0.3), floor, rng.uniform(2.5, 3.5)])
    keypoint[0] = _place(
        _person(_MOTIONS[label // 2], num_frames, rng), yaw, where)
    if rng.random() < second_person_prob:
        side = rng.choice([-1, 1]) * rng.uniform(0.8, 1.4)
        other = where + [side, 0, rng.uniform(-0.3, 0.3)]
        keypoint[1] = _place(
            _person(None, num_frames, rng), 180 + rng.uniform(-40, 40), other)
    present = keypoint.any(axis=(1, 2, 3))
    keypoint[present] += rng.normal(0, noise_std, keypoint[present].shape)
    if label % 2:
        keypoint = keypoint[:, ::-1]
    return np.ascontiguousarray(keypoint, dtype=np.float32)


def make_synthetic_dataset(per_class: int = 50,
                           seed: int = 0,
                           val_fraction: float = 0.2,
                           classes: Optional[Sequence[int]] = None,
                           dims: int = 3,
                           **sample_kwargs) -> Dict:
    """Build a synthetic annotation dict in MMAction2's skeleton format.

    Sample ``i`` of class ``c`` depends only on ``(seed, c, i)``, so adding
    samples or classes never changes the existing ones; the 2-D set films
    the very motions of the 3-D one.

    Args:
        per_class (int): Samples per class. Defaults to 50.
        seed (int): Random seed. Defaults to 0.
        val_fraction (float): Share of each class in the ``val`` split (the
            last samples of the class). Defaults to 0.2.
        classes (Sequence[int], optional): Labels to generate; default all.
        dims (int): 3: NTU-25 joints in metres; 2: COCO-17 keypoints in
            pixels with ``keypoint_score`` and ``img_shape``
            (:func:`synthesize_sample_2d`). Defaults to 3.
        **sample_kwargs: Passed to :func:`synthesize_sample`.

    Returns:
        dict: ``{'layout': 'nturgb+d', 'num_classes': 8, 'split': {'train':
        [...], 'val': [...]}, 'annotations': [...]}`` with float16
        keypoints of shape (2, T, 25, 3); with ``dims=2`` the layout is
        ``'coco'`` and each annotation holds float32 ``keypoint`` (2, T,
        17, 2), ``keypoint_score`` (2, T, 17), ``img_shape`` and
        ``original_shape``.
    """
    if per_class < 1:
        raise ValueError(f'per_class must be >= 1, got {per_class}')
    if not 0 <= val_fraction < 1:
        raise ValueError(f'val_fraction must be in [0, 1), got {val_fraction}')
    if dims not in (2, 3):
        raise ValueError(f'dims must be 2 (COCO-17 pixels) or 3 (NTU-25 '
                         f'metres), got {dims!r}')
    labels = range(len(SYNTHETIC_CLASSES)) if classes is None else classes
    num_val = int(round(per_class * val_fraction))
    split: Dict[str, List[str]] = dict(train=[], val=[])
    annotations = []
    for label in labels:
        for index in range(per_class):
            rng = np.random.default_rng([seed, label, index])
            name = f'synth_A{label + 1:03d}_{index:04d}'
            if dims == 2:
                keypoint, score = synthesize_sample_2d(label, rng,
                                                       **sample_kwargs)
                annotation = dict(keypoint_score=score, img_shape=IMG_SHAPE,
                                  original_shape=IMG_SHAPE)
            else:
                keypoint = synthesize_sample(label, rng, **sample_kwargs)
                keypoint = keypoint.astype(np.float16)
                annotation = {}
            annotations.append(
                dict(
                    frame_dir=name,
                    label=int(label),
                    keypoint=keypoint,
                    total_frames=keypoint.shape[1],
                    **annotation))
            split['val' if index >= per_class -
                  num_val else 'train'].append(name)
    layout = SYNTHETIC_2D_LAYOUT if dims == 2 else SYNTHETIC_LAYOUT
    return dict(layout=layout, num_classes=len(SYNTHETIC_CLASSES),
                split=split, annotations=annotations)


# --- the 2-D variant: the same motion filmed by a pinhole camera ---------

SYNTHETIC_2D_LAYOUT = 'coco'
# (height, width) of the frame, pixels; a 1080p camera whose focal length
# (1000 px, ~88 degrees across) keeps a subject at 2-4 m in the frame
IMG_SHAPE = (1080, 1920)
_FOCAL = 1000.0
# COCO-17 body joints (5-16) as NTU-25 joints, 0-based: shoulders, elbows,
# wrists, hips, knees, ankles, left then right
_COCO_BODY = [4, 8, 5, 9, 6, 10, 12, 16, 13, 17, 14, 18]
_HEAD, _NECK = 3, 2
# nose, left/right eye, left/right ear: offsets from the NTU head joint in
# the head's frame (forward, up, left), metres
_FACE = np.array([[.10, -.02, 0], [.08, .03, .035], [.08, .03, -.035],
                  [0, 0, .075], [0, 0, -.075]])


def _face(keypoint: np.ndarray) -> np.ndarray:
    """(..., 5, 3) nose, eyes and ears of NTU-25 joints (..., 25, 3): fixed
    offsets from the head in a frame turned with the shoulders, so they
    move rigidly with the head (their bones keep their 3-D length)."""
    left = keypoint[..., L_SHOULDER, :] - keypoint[..., R_SHOULDER, :]
    up = keypoint[..., _HEAD, :] - keypoint[..., _NECK, :]
    forward = np.cross(left, up)  # x (left) cross y (up) = z (forward)
    left = np.cross(up, forward)
    axes = [v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)
            for v in (forward, up, left)]
    return keypoint[..., None, _HEAD, :] + sum(
        _FACE[:, i, None] * axes[i][..., None, :] for i in range(3))


def project_to_image(points: np.ndarray) -> np.ndarray:
    """Pixels (u, v) of camera-frame points (..., 3) in metres (y up, z
    away from the camera): ``u = w/2 - f x / z``, ``v = h/2 - f y / z``,
    so a subject facing the camera has its left on the image's right, and
    the image's v grows downwards."""
    height, width = IMG_SHAPE
    depth = np.maximum(points[..., 2], 1e-3)
    return np.stack([width / 2 - _FOCAL * points[..., 0] / depth,
                     height / 2 - _FOCAL * points[..., 1] / depth], axis=-1)


def synthesize_sample_2d(label: int, rng: np.random.Generator,
                         **sample_kwargs) -> Tuple[np.ndarray, np.ndarray]:
    """One 2-D sequence of class ``label``: :func:`synthesize_sample`'s
    motion as COCO-17 keypoints in pixels, with detector-like scores.

    Scores are ~N(0.85, 0.08) clipped to [0.05, 1], a few (3%) dropping to
    U(0.05, 0.3) as a detector's unsure joints do; an absent person has
    keypoints and scores 0. They are drawn after the motion and reversed
    with it, so time-reversed classes stay exact reversals in 2-D too.

    Returns:
        tuple[np.ndarray, np.ndarray]: keypoint (2, T, 17, 2) and
        keypoint_score (2, T, 17), float32.
    """
    joints = synthesize_sample(label, rng, **sample_kwargs).astype(np.float64)
    coco = np.concatenate([_face(joints), joints[:, :, _COCO_BODY]], axis=2)
    keypoint = project_to_image(coco)
    score = np.clip(rng.normal(0.85, 0.08, keypoint.shape[:3]), 0.05, 1.0)
    unsure = rng.random(score.shape) < 0.03
    score[unsure] = rng.uniform(0.05, 0.3, int(unsure.sum()))
    if label % 2:  # the motion was reversed; reverse its scores alike
        score = score[:, ::-1]
    absent = ~joints.any(axis=(1, 2, 3))
    keypoint[absent] = 0
    score[absent] = 0
    return (np.ascontiguousarray(keypoint, dtype=np.float32),
            np.ascontiguousarray(score, dtype=np.float32))
