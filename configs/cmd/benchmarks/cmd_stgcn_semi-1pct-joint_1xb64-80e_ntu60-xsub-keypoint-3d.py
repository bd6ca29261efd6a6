# Semi-supervised evaluation: the whole pretrained encoder (joint stream)
# fine-tuned on 1% of the ntu60-xsub labels, a seeded class-balanced subset.
# Five subsets, mean ± sd:
#   python tools/analysis_tools/study.py THIS_CONFIG --metric acc/top1 \
#       --scale 100 --seeds 0 1 2 3 4 --work-dir work_dirs/semi \
#       --cfg-options model.pretrained=CKPT \
#       --variant 'semi=train_dataloader.dataset.subset_seed={seed}'
_base_ = [
    '../../_base_/models/stgcn_linear.py',
    '../../_base_/datasets/ntu60-xsub_linear.py',
    '../../_base_/schedules/finetune_sgd-80e.py',
    '../../_base_/linear_runtime.py'
]

model = dict(frozen=False)
train_dataloader = dict(dataset=dict(label_fraction=0.01, subset_seed=0))
