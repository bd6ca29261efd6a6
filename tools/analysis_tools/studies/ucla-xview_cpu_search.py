# The CPU recipe search on NW-UCLA cross-view (docs/benchmarks.md): each
# variant changes one thing of the study's recipe (ucla-xview_cpu.py) and
# goes through the same chain; seed 0, then the best over more seeds.
#   python tools/analysis_tools/study.py \
#       tools/analysis_tools/studies/ucla-xview_cpu_search.py \
#       --seeds 0 --work-dir work_dirs/ucla_search --jobs 2
__cmd = 'configs/cmd/cmd_stgcn-tiny_1xb32-20e_ucla-xview-keypoint-3d.py'
__cmd_linear = ('configs/cmd/benchmarks/cmd_stgcn-tiny_linear-cached-'
                '{stream}_1xb64-80e_ucla-xview-keypoint-3d.py')
__scd = 'configs/scdnet/scdnet_ctrgcn-tiny_1xb32-20e_ucla-xview-keypoint-3d.py'
__scd_linear = ('configs/scdnet/benchmarks/scdnet_ctrgcn-tiny_linear-cached-'
                '{stream}_1xb64-80e_ucla-xview-keypoint-3d.py')
__streams = ['joint', 'motion', 'bone']
__crop = '.1.transforms.0.scale_range=(0.5,1.0)'
__gru = 'configs/cmd/cmd_gru-small_1xb32-20e_ucla-xview-keypoint-3d.py'
__gru_linear = ('configs/cmd/benchmarks/cmd_gru-small_linear-cached-'
                '{stream}_1xb64-80e_ucla-xview-keypoint-3d.py')
__clip64 = ['skeleton_data.clip_len=64']  # the dataset block's
# option groups the variants combine
__epochs60 = ['train_cfg.max_epochs=60', 'param_scheduler.0.milestones=[48]']
__lr01 = ['optim_wrapper.optimizer.lr=0.1']
__ema099 = ['model.ema_momentum=0.01']
__wide = ['model.backbone.base_channels=16', 'model.neck.in_channels=32',
          'model.neck.hid_channels=32']
__wide_linear = ['model.backbone.base_channels=16',
                 'model.cls_head.in_channels=32']
# the recipe before this search (32-d, 60 epochs, lr 0.1, m = 0.99)
__recipe = __wide + __epochs60 + __lr01 + __ema099
# ... and after it: those settings, a queue of 224 and milder views
__recipe_cfg = 'configs/cmd/cmd_stgcn-tiny32_1xb32-60e_ucla-xview-keypoint-3d.py'
__recipe_linear = ('configs/cmd/benchmarks/cmd_stgcn-tiny32_linear-cached_'
                   '1xb64-80e_ucla-xview-keypoint-3d.py')
# a queue of at most a quarter of the 1,020 training clips: a clip's own
# older keys cannot sit among its negatives (chance ln 225 = 5.42)
__q224 = ['model.queue_size=224']


def __views(prob=None, shear=None, corrupt=None):
    """Both pipeline copies with the view transforms changed."""
    out = []
    for where in ('train_pipeline', 'train_dataloader.dataset.pipeline'):
        choose = f'{where}.1.transforms.1'
        if prob is not None:
            out.append(f'{choose}.prob={prob}')
        if shear is not None:
            out.append(f'{choose}.transforms.0.magnitude={shear}')
        if corrupt is not None:
            out.append(f'{choose}.transforms.1.ratio={corrupt}')
    return out


def __cmd_variant(label, options, linear_options=()):
    return dict(label=label, pretrain=__cmd, options=list(options),
                linear=__cmd_linear, linear_options=list(linear_options),
                streams=__streams)


def __scd_variant(label, options, linear_options=()):
    return dict(label=label, pretrain=__scd, options=list(options),
                linear=__scd_linear, linear_options=list(linear_options),
                streams=['joint'])


methods = dict(
    cmd_60e=__cmd_variant('CMD, 60 epochs (x0.1 at 48)', __epochs60),
    cmd_wide=__cmd_variant('CMD, ST-GCN base 16 channels (32-d feature)',
                           __wide, __wide_linear),
    cmd_lr01=__cmd_variant('CMD, lr 0.1', __lr01),
    cmd_lr002=__cmd_variant('CMD, lr 0.02',
                            ['optim_wrapper.optimizer.lr=0.02']),
    cmd_crop05=__cmd_variant('CMD, crops s ~ U[0.5, 1]', [
        'train_pipeline' + __crop,
        'train_dataloader.dataset.pipeline' + __crop]),
    cmd_ema099=__cmd_variant('CMD, key encoder m = 0.99', __ema099),
    cmd_clip64=__cmd_variant('CMD, 64-frame clips (crops >= 32)', __clip64 + [
        'skeleton_data.min_crop_length=32'], __clip64),
    cmd_gru=dict(label='CMD, GRU 2 x 2 x 32 (64-d feature)', pretrain=__gru,
                 linear=__gru_linear, streams=__streams),
    cmd_60e_lr01_ema099=__cmd_variant(
        'CMD, 60 epochs (x0.1 at 48), lr 0.1, m = 0.99',
        __epochs60 + __lr01 + __ema099),
    # the recipe: ucla-xview_cpu.py runs it over three seeds (cmd_recipe)
    cmd_wide_60e_lr01_ema099=__cmd_variant(
        'CMD, 32-d feature, 60 epochs, lr 0.1, m = 0.99',
        __wide + __epochs60 + __lr01 + __ema099, __wide_linear),
    cmd_recipe_q224=__cmd_variant(
        'CMD, the recipe, queue 224', __recipe + __q224, __wide_linear),
    cmd_recipe_q224_crop_only=__cmd_variant(
        'CMD, the recipe, queue 224, views = temporal crop only',
        __recipe + __q224 + __views('[1.0,0.0]', shear=0.0),
        __wide_linear),
    # the recipe that came out of this search (one definition: the config)
    cmd_recipe_q224_mild=dict(
        label='CMD, the recipe, queue 224, shear 0.5 or corruption 30%',
        pretrain=__recipe_cfg, linear=__recipe_linear,
        linear_options=['model.stream={stream}'], streams=__streams),
    cmd_recipe_q224_mild_no_distill=dict(
        label='no distillation, the recipe, queue 224, shear 0.5 or '
        'corruption 30%', pretrain=__recipe_cfg,
        options=['model.distill_pairs=none'], linear=__recipe_linear,
        linear_options=['model.stream={stream}'], streams=__streams),
    cmd_recipe_q224_shear05=__cmd_variant(
        'CMD, the recipe, queue 224, views = crop + shear 0.5',
        __recipe + __q224 + __views('[1.0,0.0]', shear=0.5),
        __wide_linear),
    # stopped before the lr step: is the logged InfoNCE of the lr-0.1 phase
    # real? (fresh_queue_infonce.py on its last checkpoint)
    cmd_recipe_q224_48e=__cmd_variant(
        'CMD, the recipe, queue 224, stopped at epoch 48 (before the step)',
        __recipe + __q224 + ['train_cfg.max_epochs=48'], __wide_linear),
    cmd_recipe_q224_no_step=__cmd_variant(
        'CMD, the recipe, queue 224, no lr step',
        __recipe + __q224 + ['param_scheduler.0.milestones=[1000]'],
        __wide_linear),
    cmd_100e_lr01_ema099=__cmd_variant(
        'CMD, 100 epochs (x0.1 at 80), lr 0.1, m = 0.99', [
            'train_cfg.max_epochs=100', 'param_scheduler.0.milestones=[80]'
        ] + __lr01 + __ema099),
    scd_lr001=__scd_variant('SCD-Net, lr 0.01 (published)',
                            ['optim_wrapper.optimizer.lr=0.01']),
    scd_ema099=__scd_variant('SCD-Net, key encoder m = 0.99', __ema099),
    scd_lr001_ema099=__scd_variant(
        'SCD-Net, lr 0.01, m = 0.99',
        ['optim_wrapper.optimizer.lr=0.01'] + __ema099),
    scd_d64=__scd_variant(
        'SCD-Net, 64-d clues, 4 heads',
        ['model.backbone.embed_dim=64', 'model.backbone.num_heads=4'],
        ['model.backbone.embed_dim=64', 'model.backbone.num_heads=4',
         'model.cls_head.in_channels=128']),
)
