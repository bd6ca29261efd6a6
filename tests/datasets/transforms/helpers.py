"""Sample builders shared by the transform tests."""
import numpy as np


def random_sample(persons: int,
                  frames: int,
                  seed: int,
                  joints: int = 25,
                  uniform: bool = False,
                  **extra) -> dict:
    """A sample dict with a random float32 (M, T, V, 3) ``keypoint``.

    Coordinates are standard normal, or uniform on [-1, 1) with
    ``uniform=True``, drawn from ``np.random.default_rng(seed)``;
    ``total_frames`` is ``frames`` and ``extra`` keys follow.
    """
    rng = np.random.default_rng(seed)
    size = (persons, frames, joints, 3)
    keypoint = rng.uniform(-1, 1, size=size) if uniform else rng.normal(
        size=size)
    return dict(keypoint=keypoint.astype(np.float32), total_frames=frames,
                **extra)
