"""Fixtures shared by the transform tests: the pipeline RNG's state."""
import pytest

from cmd_plugin.datasets.transforms import (get_pipeline_rng_state,
                                            seed_pipeline_rng,
                                            set_pipeline_rng_state)


@pytest.fixture
def restore_pipeline_rng():
    """Leave the process's pipeline RNG stream as the test found it."""
    saved = get_pipeline_rng_state()
    yield
    set_pipeline_rng_state(saved)


@pytest.fixture
def seeded_pipeline_rng(restore_pipeline_rng):
    """Seed the pipeline RNG with 0 for the test, then restore it."""
    seed_pipeline_rng(0)
