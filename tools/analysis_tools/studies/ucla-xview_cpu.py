# The NW-UCLA cross-view study of docs/benchmarks.md at the CPU budget:
# every method pretrains 20 epochs at batch 32 with queues of 960 in one
# single-threaded process, then the shared linear protocol (CMD's schedule
# on cached centre-crop features) and 1-NN evaluate each stream.
#   python tools/analysis_tools/protocol_study.py \
#       tools/analysis_tools/studies/ucla-xview_cpu.py \
#       --seeds 0 1 2 --work-dir work_dirs/ucla_chain --jobs 2
__cmd = 'configs/cmd/cmd_stgcn-tiny_1xb32-20e_ucla-xview-keypoint-3d.py'
__cmd_linear = ('configs/cmd/benchmarks/cmd_stgcn-tiny_linear-cached-'
                '{stream}_1xb64-80e_ucla-xview-keypoint-3d.py')
__streams = ['joint', 'motion', 'bone']
from mmengine.config import Config as __Config  # noqa: E402

__search = __Config.fromfile('{{ fileDirname }}/ucla-xview_cpu_search.py')
methods = dict(
    cmd=dict(label='CMD', pretrain=__cmd, linear=__cmd_linear,
             streams=__streams,
             random_init='random init (ST-GCN-tiny)'),
    no_distill=dict(label='no distillation (3 x MoCo)', pretrain=__cmd,
                    options=['model.distill_pairs=none'],
                    linear=__cmd_linear, streams=__streams),
    # the best of the recipe search, over three seeds
    cmd_recipe=dict(
        __search.methods.cmd_wide_60e_lr01_ema099,
        label='CMD, CPU recipe (32-d, 60 epochs, lr 0.1, m = 0.99)',
        random_init='random init (ST-GCN-tiny, 32-d)'),
    scdnet=dict(
        label='SCD-Net (joint)',
        pretrain='configs/scdnet/'
        'scdnet_ctrgcn-tiny_1xb32-20e_ucla-xview-keypoint-3d.py',
        linear='configs/scdnet/benchmarks/scdnet_ctrgcn-tiny_linear-cached-'
        '{stream}_1xb64-80e_ucla-xview-keypoint-3d.py',
        streams=['joint'],
        random_init='random init (SCD-Net-tiny, joint)'),
)
raw = dict(
    linear='configs/baselines/raw-coordinates_linear-cached-{stream}_1xb64-'
    '80e_ucla-xview-keypoint-3d.py',
    knn=__cmd,
    streams=__streams)
