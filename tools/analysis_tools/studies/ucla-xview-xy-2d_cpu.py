# The NW-UCLA CPU recipe, unchanged, on NW-UCLA cross-view projected to the
# image plane: (x, y) pixels of one orthographic frame, score 1 per present
# joint. The second real 2-D check beside Penn Action; its 3-D numbers are
# the ucla-xview_cpu.py study's.
#   python tools/data/project_to_2d.py --src data/skeleton/ucla.pkl \
#       --out data/skeleton/ucla-xy.pkl
#   python tools/analysis_tools/study.py \
#       tools/analysis_tools/studies/ucla-xview-xy-2d_cpu.py \
#       --seeds 0 1 2 --work-dir work_dirs/ucla_xy_chain --jobs 1
__cmd = 'configs/cmd/cmd_stgcn-tiny32_1xb32-60e_ucla-xview-keypoint-2d.py'
__cmd_linear = ('configs/cmd/benchmarks/cmd_stgcn-tiny32_linear-cached_'
                '1xb64-80e_ucla-xview-keypoint-2d.py')
__stream = ['model.stream={stream}']
__streams = ['joint', 'motion', 'bone']
methods = dict(
    cmd=dict(label='CMD, CPU recipe', pretrain=__cmd, linear=__cmd_linear,
             linear_options=__stream, streams=__streams,
             random_init='random init (ST-GCN-tiny, 32-d)'),
)
raw = dict(
    linear='configs/baselines/raw-coordinates_linear-cached_1xb64-80e_'
    'ucla-xview-keypoint-2d.py',
    linear_options=__stream,
    knn=__cmd,
    streams=__streams)
