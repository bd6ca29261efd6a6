"""Plain MoCo (one encoder, one queue) written from :class:`BaseMoCo` alone:
the proof that the base carries the whole MoCo machinery."""
import torch
import torch.nn.functional as F

from cmd_plugin.models.selfsup import BaseMoCo
from cmd_plugin.models.utils import ProjectedEncoder
from mmaction.registry import MODELS


@MODELS.register_module(force=True)
class PlainMoCo(BaseMoCo):
    """q = f_q(x), k = f_k(x'), InfoNCE against one queue of past keys."""

    def __init__(self, backbone: dict, neck: dict, layout='nturgb+d',
                 queue_size: int = 16, feat_dim: int = 8,
                 ema_momentum: float = 0.001,
                 contrast_loss=dict(type='InfoNCELoss', temperature=0.07),
                 **kwargs):
        super().__init__(
            queue_names=('embed', ),
            layout=layout,
            queue_size=queue_size,
            feat_dim=feat_dim,
            ema_momentum=ema_momentum,
            contrast_loss=contrast_loss,
            **kwargs)
        self.init_encoders(
            dict(embed=ProjectedEncoder(self.follow_layout(backbone), neck)))

    def stream_features(self, inputs):
        return dict(embed=self.query_encoders['embed'].features(inputs))

    def loss(self, inputs, data_samples=None):
        self.update_key_encoders()
        q = F.normalize(self.query_encoders['embed'](inputs[:, 0]), dim=1)
        with torch.no_grad():
            k = F.normalize(self.key_encoders['embed'](inputs[:, 1]), dim=1)
        queue = self.queues.snapshot()['embed']
        loss = self.contrast_loss(q, k, queue)
        self.enqueue(dict(embed=k))
        return dict(loss_nce=loss)
