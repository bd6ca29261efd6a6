# MMAction2's own ST-GCN (its recipe's encoder settings), for every model
# of the plugin that uses it. The graph layout and in_channels are left
# out: they follow the data (model.layout).
_base_ = []  # keeps this a plain config: MMEngine would read a leading
# import as a lazy-import config, which plain configs cannot inherit
from mmengine.hub import get_config as __get_config  # noqa: E402

__stgcn = __get_config(  # names starting with __ stay out of the config
    'mmaction::skeleton/stgcn/stgcn_8xb16-joint-u100-80e_ntu60-xsub-keypoint-3d.py'  # noqa: E501
).model.backbone

model = dict(
    backbone=dict(__stgcn, graph_cfg=dict(mode=__stgcn.graph_cfg.mode)))
