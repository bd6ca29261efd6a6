# The NW-UCLA CPU recipe, unchanged, on a second real dataset: SBU Kinect
# Interaction fold 1 (two persons, 15 joints, 227 training clips). Same
# encoder, schedule and views (the configs' _base_ parts); the queue
# follows the recipe's rule -- the largest multiple of the global batch
# within a quarter of the training clips: 224 of 1,020 for NW-UCLA, 32 of
# 227 here.
#   python tools/data/sbu_to_pkl.py --src ../shared/data/sbu-interaction --out data/skeleton/sbu.pkl
#   python tools/analysis_tools/study.py \
#       tools/analysis_tools/studies/sbu-fold1_cpu.py \
#       --seeds 0 1 2 --work-dir work_dirs/sbu_chain --jobs 2
__cmd = 'configs/cmd/cmd_stgcn-tiny32_1xb32-60e_sbu-fold1-keypoint-3d.py'
__cmd_linear = ('configs/cmd/benchmarks/cmd_stgcn-tiny32_linear-cached_'
                '1xb64-80e_sbu-fold1-keypoint-3d.py')
__stream = ['model.stream={stream}']
__streams = ['joint', 'motion', 'bone']
methods = dict(
    cmd=dict(label='CMD, CPU recipe', pretrain=__cmd, linear=__cmd_linear,
             linear_options=__stream, streams=__streams,
             random_init='random init (ST-GCN-tiny, 32-d)'),
    no_distill=dict(label='no distillation (3 x MoCo), CPU recipe',
                    pretrain=__cmd, options=['model.distill_pairs=none'],
                    linear=__cmd_linear, linear_options=__stream,
                    streams=__streams),
)
raw = dict(
    linear='configs/baselines/raw-coordinates_linear-cached_1xb64-80e_'
    'sbu-fold1-keypoint-3d.py',
    linear_options=__stream,
    knn=__cmd,
    streams=__streams)
