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


def assert_seeded_and_global_rng_free(transform, make_sample, seed=3,
                                      calls=5):
    """``transform`` repeats under ``seed_pipeline_rng(seed)``, ignores
    numpy's global RNG (reseeded before each call, as MMAction2's
    test-mode sampler does) and differs for another seed."""
    from cmd_plugin.datasets.transforms import seed_pipeline_rng

    def run(pipeline_seed, reseed_global):
        seed_pipeline_rng(pipeline_seed)
        outs = []
        for _ in range(calls):
            if reseed_global:
                np.random.seed(255)
            outs.append(transform(make_sample())['keypoint'])
        return np.stack(outs)

    first = run(seed, False)
    np.testing.assert_array_equal(first, run(seed, True))
    assert not np.array_equal(first, run(seed + 1, False))
    # Successive calls draw afresh.
    assert not all(np.array_equal(first[0], f) for f in first[1:])
