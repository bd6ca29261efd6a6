"""Load one encoder out of a self-supervised checkpoint, or say exactly why
it does not fit.

MMEngine's ``init_cfg=dict(type='Pretrained', prefix=...)`` only warns when
the prefix matches nothing and then trains from random init -- the most
common reason a linear-evaluation number cannot be reproduced.
"""
import os.path as osp
from collections import Counter
from typing import Optional, Union

from mmengine.logging import MMLogger
from torch import nn

from ...compat import safe_torch_load
from ...skeleton.record import check_skeleton
from ..selfsup.encoder_prefix import encoder_prefix, stream_encoder


def top_level_prefixes(keys, depth: int = 2) -> str:
    """'query_encoders.joint. (104), queues. (4)' for error messages."""
    counts = Counter('.'.join(k.split('.')[:depth]) + '.' for k in keys)
    return ', '.join(f'{p} ({n})' for p, n in sorted(counts.items()))


def load_encoder_weights(module: nn.Module, checkpoint: str,
                         prefix: Optional[str],
                         layout: Optional[Union[str, dict]] = None,
                         stream: str = 'joint') -> int:
    """Load ``checkpoint``'s tensors under ``prefix`` into ``module``, all
    of them and nothing else; with ``layout``, only from a checkpoint
    trained on that skeleton (when it records one).

    Args:
        prefix (str, optional): Key prefix of the encoder; None: the
            backbone of the encoder serving ``stream``
            (:func:`~cmd_plugin.models.selfsup.encoder_prefix.stream_encoder`).

    Returns:
        int: Number of tensors loaded.

    Raises:
        ValueError: No key has the prefix, or the keys under it do not
            match the module (missing, unexpected, other shapes).
        SkeletonMismatchError: The checkpoint records another layout.
    """
    if not osp.exists(checkpoint):
        raise FileNotFoundError(
            f'model.pretrained={checkpoint} does not exist. Set '
            'model.pretrained to a checkpoint a pretraining run wrote '
            '(work_dirs/RUN/epoch_N.pth), or leave it out for the '
            'random-init baseline.')
    ckpt = safe_torch_load(checkpoint, map_location='cpu')
    if layout is not None and isinstance(ckpt, dict):
        check_skeleton(ckpt, layout, checkpoint, 'model.layout')
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else {}
    if prefix is None:
        name = stream_encoder(state, stream)
        prefix = encoder_prefix(name if name is not None else stream)
    sub = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
    if not sub:
        raise ValueError(
            f'{checkpoint} has no weights under {prefix!r}; its keys start '
            f'with: {top_level_prefixes(state)}. Set model.pretrained_prefix '
            "to the encoder's prefix (e.g. 'query_encoders.bone.backbone.' "
            "for a CMD checkpoint's bone stream, 'backbone.' for an "
            'exported one).')
    own = module.state_dict()
    missing = sorted(set(own) - set(sub))
    unexpected = sorted(set(sub) - set(own))
    shapes = [f'{k}: checkpoint {tuple(sub[k].shape)}, model '
              f'{tuple(own[k].shape)}' for k in sorted(set(sub) & set(own))
              if sub[k].shape != own[k].shape]
    if missing or unexpected or shapes:
        details = '; '.join(
            part for part in (
                f'missing {missing[:3]}' if missing else '',
                f'unexpected {unexpected[:3]}' if unexpected else '',
                f'shapes differ: {shapes[:3]}' if shapes else '') if part)
        raise ValueError(
            f'the weights under {prefix!r} in {checkpoint} do not fit the '
            f'backbone ({details}). Build the backbone as in pretraining '
            '(same type, widths, layout and persons).')
    module.load_state_dict(sub, strict=True)
    MMLogger.get_current_instance().info(
        f'loaded {len(sub)} tensors under {prefix!r} from {checkpoint}')
    return len(sub)
