# The NW-UCLA cross-view study of docs/benchmarks.md under the CPU recipe:
# CMD and its no-distillation baseline with the recipe's configs (32-d
# narrow ST-GCN, m = 0.99, 60 epochs at lr 0.1, milder views, queue 224;
# about 10 min of one core each), SCD-Net at its CPU size (20 epochs, its
# own views), random initialisation (epoch 0 of each run) and raw
# coordinates; then the shared linear protocol (CMD's schedule on cached
# centre-crop features) and 1-NN for each stream.
#   python tools/analysis_tools/study.py \
#       tools/analysis_tools/studies/ucla-xview_cpu.py \
#       --seeds 0 1 2 --work-dir work_dirs/ucla_chain --jobs 2
__cmd = 'configs/cmd/cmd_stgcn-tiny32_1xb32-60e_ucla-xview-keypoint-3d.py'
__cmd_linear = ('configs/cmd/benchmarks/cmd_stgcn-tiny32_linear-cached_'
                '1xb64-80e_ucla-xview-keypoint-3d.py')
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
    linear='configs/baselines/raw-coordinates_linear-cached_1xb64-80e_'
    'ucla-xview-keypoint-3d.py',
    linear_options=__stream,
    knn=__cmd,
    streams=__streams)
