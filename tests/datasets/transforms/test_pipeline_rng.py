"""The pipeline RNG: isolation from numpy's global RNG, seeding, state."""
import pickle

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, Dataset

import cmd_plugin  # noqa: F401  (compat fixes, registration)
from cmd_plugin.datasets.transforms import (Shear, TemporalCropResize,
                                            get_pipeline_rng_state,
                                            pipeline_rng, seed_pipeline_rng,
                                            set_pipeline_rng_state)
from mmaction.datasets.transforms import UniformSampleFrames
from tests.datasets.transforms.helpers import random_sample

# Tests here reseed freely; leave the process stream as we found it.
pytestmark = pytest.mark.usefixtures('restore_pipeline_rng')


def _sample(num_frames: int = 50) -> dict:
    return random_sample(2, num_frames, seed=7)


def _augment(sample: dict) -> np.ndarray:
    out = TemporalCropResize(clip_len=16, min_length=4)(dict(sample))
    return Shear()(out)['keypoint']


def test_global_reseed_does_not_rewind_stream():
    sample = _sample()
    seed_pipeline_rng(3)
    first = _augment(sample)
    second = _augment(sample)

    seed_pipeline_rng(3)
    again_first = _augment(sample)
    # What MMAction2's test-mode sampler does to numpy's global RNG.
    UniformSampleFrames(
        clip_len=8, test_mode=True)(
            dict(total_frames=50, start_index=0))
    np.random.seed(0)
    again_second = _augment(sample)

    np.testing.assert_array_equal(first, again_first)
    np.testing.assert_array_equal(second, again_second)
    assert not np.array_equal(first, second)


def test_same_seed_same_output():
    sample = _sample()
    seed_pipeline_rng(11)
    a = [_augment(sample) for _ in range(3)]
    seed_pipeline_rng(11)
    b = [_augment(sample) for _ in range(3)]
    seed_pipeline_rng(12)
    c = _augment(sample)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], c)


def test_state_round_trip_is_plain_and_loads_weights_only(tmp_path):
    seed_pipeline_rng(5)
    pipeline_rng().random(10)
    state = get_pipeline_rng_state()
    expected = pipeline_rng().random(4)

    # A checkpoint is loaded with weights_only=True: plain types only.
    path = tmp_path / 'state.pth'
    torch.save({'pipeline_rng': state}, path)
    loaded = torch.load(path, weights_only=True)['pipeline_rng']
    assert loaded == pickle.loads(pickle.dumps(state))

    pipeline_rng().random(100)  # move on, then rewind
    set_pipeline_rng_state(loaded)
    np.testing.assert_array_equal(pipeline_rng().random(4), expected)


def test_state_none_and_bad_state():
    set_pipeline_rng_state(None)
    assert get_pipeline_rng_state() is None
    with pytest.raises(ValueError, match='set_pipeline_rng_state'):
        set_pipeline_rng_state({'state': 1})
    with pytest.raises(ValueError, match='unknown bit generator'):
        set_pipeline_rng_state({'bit_generator': 'NotAGenerator'})


def test_main_process_seeds_from_torch_at_first_use():
    draws = []
    for seed in (21, 21, 22):
        set_pipeline_rng_state(None)
        torch.manual_seed(seed)
        draws.append(pipeline_rng().random(3))
    np.testing.assert_array_equal(draws[0], draws[1])
    assert not np.array_equal(draws[0], draws[2])

    # Once seeded, a later torch.manual_seed must not rewind the stream.
    set_pipeline_rng_state(None)
    torch.manual_seed(21)
    pipeline_rng().random(3)
    torch.manual_seed(21)
    assert not np.array_equal(pipeline_rng().random(3), draws[0])


class _RepeatDataset(Dataset):
    """The same sample at every index: any difference is augmentation."""

    def __init__(self, length: int = 4) -> None:
        self.length = length
        self.sample = _sample(30)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> np.ndarray:
        return _augment(self.sample)


def _run_epochs(seed: int, epochs: int = 1) -> list:
    torch.manual_seed(seed)
    loader = DataLoader(
        _RepeatDataset(),
        batch_size=1,
        num_workers=2,
        multiprocessing_context='fork',
        # MMEngine's worker_init_fn seeds numpy's global RNG identically
        # every epoch; the pipeline stream must not depend on it.
        worker_init_fn=lambda worker_id: np.random.seed(0))
    return [torch.cat(list(loader)).numpy() for _ in range(epochs)]


def test_dataloader_workers_differ_and_runs_reproduce():
    run_a = _run_epochs(seed=100, epochs=2)
    run_b = _run_epochs(seed=100, epochs=1)
    run_c = _run_epochs(seed=101, epochs=1)
    epoch0 = run_a[0]
    # Indices 0, 1 come from worker 0, 1 respectively.
    assert not np.array_equal(epoch0[0], epoch0[1])
    # Within a worker, successive samples differ too.
    assert not np.array_equal(epoch0[0], epoch0[2])
    # Non-persistent workers are reseeded each epoch.
    assert not np.array_equal(run_a[0], run_a[1])
    np.testing.assert_array_equal(epoch0, run_b[0])
    assert not np.array_equal(epoch0, run_c[0])
