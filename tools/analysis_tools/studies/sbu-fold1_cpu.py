# The NW-UCLA CPU recipe, unchanged, on a second real dataset: SBU Kinect
# Interaction fold 1 (two persons, 15 joints, 227 training clips). The
# recipe's options are taken from the NW-UCLA search (one definition); its
# queue follows the recipe's rule -- the largest multiple of the global
# batch within a quarter of the training clips: 224 of 1,020 for NW-UCLA,
# 32 of 227 here (distill_loss.topk is half of it).
#   python tools/data/sbu_to_pkl.py --src ../shared/data/sbu-interaction --out data/skeleton/sbu.pkl
#   python tools/analysis_tools/protocol_study.py \
#       tools/analysis_tools/studies/sbu-fold1_cpu.py \
#       --seeds 0 1 2 --work-dir work_dirs/sbu_chain --jobs 2
__cmd = 'configs/cmd/cmd_stgcn-tiny_1xb32-20e_sbu-fold1-keypoint-3d.py'
__cmd_linear = ('configs/cmd/benchmarks/cmd_stgcn-tiny_linear-cached-'
                '{stream}_1xb64-80e_sbu-fold1-keypoint-3d.py')
__streams = ['joint', 'motion', 'bone']
from mmengine.config import Config as __Config  # noqa: E402

__search = __Config.fromfile('{{ fileDirname }}/ucla-xview_cpu_search.py')
__recipe = __search.methods.cmd_recipe_q224_mild
__options = [o for o in __recipe.options
             if not o.startswith('model.queue_size=')] + [
                 'model.queue_size=32']
methods = dict(
    cmd=dict(label='CMD, CPU recipe', pretrain=__cmd, options=__options,
             linear=__cmd_linear, linear_options=__recipe.linear_options,
             streams=__streams,
             random_init='random init (ST-GCN-tiny, 32-d)'),
    no_distill=dict(label='no distillation (3 x MoCo), CPU recipe',
                    pretrain=__cmd,
                    options=__options + ['model.distill_pairs=none'],
                    linear=__cmd_linear,
                    linear_options=__recipe.linear_options,
                    streams=__streams),
)
raw = dict(
    linear='configs/baselines/raw-coordinates_linear-cached-{stream}_1xb64-'
    '80e_sbu-fold1-keypoint-3d.py',
    knn=__cmd,
    streams=__streams)
