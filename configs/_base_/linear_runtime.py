# Runtime of the evaluation configs: the plugin's runtime, keeping the last
# checkpoint and the best top-1 (labelled "best" in the log; the protocol
# reports the last epoch, EvalSummaryHook prints both at the end).
_base_ = './default_runtime.py'

default_hooks = dict(
    checkpoint=dict(
        interval=10, save_best='acc/top1', rule='greater', max_keep_ckpts=1),
    logger=dict(interval=20))
# the pretraining hooks without the epoch-0 kNN pass, plus the summary
custom_hooks = [
    h for h in _base_.custom_hooks if h['type'] != 'ValAtStartHook'
] + [dict(type='EvalSummaryHook')]
# evaluation runs are seeded, so a rerun gives the same number
# (tools/train.py --seed, as study.py passes it, overrides it per seed)
randomness = dict(seed=0)
