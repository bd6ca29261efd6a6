"""Linear evaluation that computes the frozen encoder's features once."""
from typing import List

import torch
from mmengine.dist import get_rank
from mmengine.model import is_model_wrapper
from mmengine.runner import EpochBasedTrainLoop

from mmaction.registry import LOOPS

# Transforms that draw randomly: with one of them in the training pipeline,
# a cached epoch would repeat one draw instead of drawing anew.
RANDOM_TRANSFORMS = ('TemporalCropResize', 'Shear', 'JointCorruption',
                     'RandomChooseOne', 'MultiView', 'RandomApply',
                     'RandomRot', 'RandomScale', 'UniformSampleFrames')


@LOOPS.register_module()
class CachedFeatureTrainLoop(EpochBasedTrainLoop):
    """``EpochBasedTrainLoop`` for a frozen encoder and a deterministic
    training pipeline: one pass extracts every training sample's pooled
    feature, then the epochs train the head alone on them.

    Each rank caches its own shard of the loader and steps through it in
    batches of ``train_dataloader.batch_size``, reshuffled every epoch from
    the run's seed, through the model's ordinary ``train_step`` (so DDP
    still averages the head's gradients). Validation runs the whole model as
    usual. The speed-up is about the number of epochs for the encoder's
    share of the cost (``docs/benchmarks.md``).

    The extraction runs the encoder on at most ``extract_batch_size`` clips
    at a time, whatever the head's batch: SCD-Net's protocol trains the head
    at batch 1024, and its encoder's activations at the published size
    (``docs/benchmarks.md``, "Cached extraction memory") would not fit a
    GPU at that batch.

    Args:
        extract_batch_size (int): Clips per encoder forward while caching.
            Defaults to 64.
        **kwargs: ``EpochBasedTrainLoop`` arguments.
    """

    def __init__(self, *args, extract_batch_size: int = 64, **kwargs):
        if isinstance(extract_batch_size, bool) or not isinstance(
                extract_batch_size, int) or extract_batch_size < 1:
            raise ValueError(
                f'train_cfg.extract_batch_size={extract_batch_size!r}: give '
                'the clips per encoder forward while caching, a positive '
                'int')
        self.extract_batch_size = extract_batch_size
        super().__init__(*args, **kwargs)

    def run(self) -> torch.nn.Module:
        self._check_setup()
        self._cache = None
        return super().run()

    def run_epoch(self) -> None:
        if self._cache is None:
            self._cache = self._extract()
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        for idx, batch in enumerate(self._batches()):
            self.run_iter(idx, batch)
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1

    def _model(self):
        model = self.runner.model
        return model.module if is_model_wrapper(model) else model

    def _check_setup(self) -> None:
        model = self._model()
        if not getattr(model, 'frozen', False) or not hasattr(
                model, 'pooled_features'):
            raise ValueError(
                'CachedFeatureTrainLoop needs a frozen encoder '
                "(model.type='SkeletonStreamRecognizer', model.frozen=True): "
                'features of a trained encoder change every step. Use '
                "train_cfg.type='EpochBasedTrainLoop' for fine-tuning.")
        dataset = self.dataloader.dataset
        pipeline = getattr(getattr(dataset, 'pipeline', None), 'transforms',
                           [])
        random = [type(t).__name__ for t in pipeline
                  if type(t).__name__ in RANDOM_TRANSFORMS
                  and not getattr(t, 'test_mode', False)]
        if random:
            raise ValueError(
                f'CachedFeatureTrainLoop computes the training features once '
                f'but the training pipeline draws randomly ({random}): every '
                'epoch would repeat one draw. Use a deterministic pipeline '
                "(e.g. CenterCropResize) or train_cfg.type="
                "'EpochBasedTrainLoop'.")

    @torch.no_grad()
    def _extract(self) -> List[tuple]:
        model = self._model()
        model.eval()
        cache = []
        for data in self.dataloader:
            data = model.data_preprocessor(data, False)
            inputs = data['inputs']
            feats = torch.cat([
                model.pooled_features(part).float().cpu()
                for part in inputs.split(self.extract_batch_size)
            ])
            cache.extend(zip(feats, data['data_samples']))
        self.runner.logger.info(
            f'CachedFeatureTrainLoop: {len(cache)} training features cached '
            f'on rank {get_rank()}; {self._max_epochs} epochs train the head '
            'on them')
        return cache

    def _batches(self):
        generator = torch.Generator().manual_seed(
            int(self.runner.seed or 0) * 1000 + self._epoch)
        order = torch.randperm(len(self._cache), generator=generator)
        size = self.dataloader.batch_size
        stop = len(order) - len(order) % size if self.dataloader.drop_last \
            else len(order)
        for start in range(0, stop, size):
            rows = [self._cache[i] for i in order[start:start + size]]
            yield dict(inputs=[f for f, _ in rows],
                       data_samples=[s for _, s in rows])
