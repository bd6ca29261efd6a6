"""CachedFeatureTrainLoop trains the head on each clip's own feature with
that clip's own label, every clip once per epoch."""
import logging
from types import SimpleNamespace

import pytest
import torch

import cmd_plugin  # noqa: F401
from cmd_plugin.engine.loops.cached_feature_loop import CachedFeatureTrainLoop
from mmaction.structures import ActionDataSample

NUM, BATCH = 11, 4


class IdentityEncoder(torch.nn.Module):
    """Frozen stand-in whose feature of clip i is (i, i, i): a feature
    names its clip, so a pairing error shows."""

    frozen = True

    def __init__(self):
        super().__init__()
        self.seen = []  # (clip ids of the features, clip ids of samples)
        self.forwards = []  # clips per encoder forward while caching

    def data_preprocessor(self, data, training):
        return dict(inputs=torch.stack(data['inputs']),
                    data_samples=data['data_samples'])

    def pooled_features(self, inputs):
        self.forwards.append(len(inputs))
        return inputs.float()

    def train_step(self, data, optim_wrapper):
        feats = torch.stack(data['inputs'])
        self.seen.append((feats[:, 0].long().tolist(),
                          [s.metainfo['clip'] for s in data['data_samples']],
                          [int(s.gt_label) for s in data['data_samples']]))
        return {}


class Loader(list):
    """Batches in clip order, as an evaluation-style loader yields them."""

    batch_size = BATCH

    def __init__(self, drop_last):
        self.drop_last = drop_last
        self.dataset = SimpleNamespace(pipeline=SimpleNamespace(
            transforms=[]))
        clips = list(range(NUM))
        for start in range(0, NUM, BATCH):
            ids = clips[start:start + BATCH]
            samples = []
            for i in ids:
                sample = ActionDataSample().set_gt_label(i % 3)
                sample.set_metainfo(dict(clip=i))
                samples.append(sample)
            self.append(dict(inputs=[torch.full((3, ), float(i))
                                     for i in ids],
                             data_samples=samples))


def make_loop(drop_last=False, epochs=3, extract_batch_size=64):
    model = IdentityEncoder()
    runner = SimpleNamespace(
        model=model, optim_wrapper=None, seed=7,
        logger=logging.getLogger('test_cached_feature_loop'),
        call_hook=lambda *args, **kwargs: None)
    loop = CachedFeatureTrainLoop.__new__(CachedFeatureTrainLoop)
    loop._runner = runner
    loop.dataloader = Loader(drop_last)
    loop._max_epochs, loop._epoch, loop._iter = epochs, 0, 0
    loop._cache = None
    loop.extract_batch_size = extract_batch_size
    return loop, model


@pytest.mark.parametrize('extract_batch_size', [64, 3])
@pytest.mark.parametrize('drop_last', [False, True])
def test_each_feature_is_trained_with_its_own_label(drop_last,
                                                    extract_batch_size):
    loop, model = make_loop(drop_last, extract_batch_size=extract_batch_size)
    loop._check_setup()
    orders = []
    for _ in range(3):
        before = len(model.seen)
        loop.run_epoch()
        epoch = model.seen[before:]
        feature_ids = [i for ids, _, _ in epoch for i in ids]
        for ids, sample_ids, labels in epoch:
            assert ids == sample_ids  # feature i with clip i's sample
            assert labels == [i % 3 for i in ids]
            if drop_last:
                assert len(ids) == BATCH
        if drop_last:
            assert len(feature_ids) == NUM // BATCH * BATCH
        else:
            assert sorted(feature_ids) == list(range(NUM))
        assert len(set(feature_ids)) == len(feature_ids)
        orders.append(feature_ids)
    # reshuffled every epoch, from the run's seed
    assert orders[0] != orders[1]
    loop2, model2 = make_loop(drop_last)
    loop2.run_epoch()
    assert [i for ids, _, _ in model2.seen for i in ids] == orders[0]


def test_extraction_forwards_at_most_its_own_batch():
    """The head's batch (SCD-Net's 1024) does not set the encoder's: the
    cache is built from forwards of at most extract_batch_size clips."""
    loop, model = make_loop(extract_batch_size=3)
    loop.run_epoch()
    assert max(model.forwards) == 3 and sum(model.forwards) == NUM
    with pytest.raises(ValueError, match='extract_batch_size=0'):
        CachedFeatureTrainLoop(runner=None, dataloader=None, max_epochs=1,
                               extract_batch_size=0)
