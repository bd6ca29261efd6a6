# The NW-UCLA CPU recipe, unchanged, on real 2-D keypoints: Penn Action
# (13 hand-annotated joints, 15 actions, 1,258 training / 1,068 test clips),
# its views in the image plane after MMAction2's 2-D head. The queue follows
# the recipe's rule: the largest multiple of the batch within a quarter of
# the training clips, 288 of 1,258.
#   python tools/data/penn_to_pkl.py --src ../shared/data/penn-action --out data/skeleton/penn.pkl
#   python tools/analysis_tools/study.py \
#       tools/analysis_tools/studies/penn-2d_cpu.py \
#       --seeds 0 1 2 --work-dir work_dirs/penn_chain --jobs 2
__cmd = 'configs/cmd/cmd_stgcn-tiny32_1xb32-60e_penn-keypoint-2d.py'
__cmd_linear = ('configs/cmd/benchmarks/cmd_stgcn-tiny32_linear-cached_'
                '1xb64-80e_penn-keypoint-2d.py')
__stream = ['model.stream={stream}']
__streams = ['joint', 'motion', 'bone']
methods = dict(
    cmd=dict(label='CMD, CPU recipe', pretrain=__cmd, linear=__cmd_linear,
             linear_options=__stream, streams=__streams,
             random_init='random init (ST-GCN-tiny, 32-d)'),
)
raw = dict(
    linear='configs/baselines/raw-coordinates_linear-cached_1xb64-80e_'
    'penn-keypoint-2d.py',
    linear_options=__stream,
    knn=__cmd,
    streams=__streams)
