"""One stream's backbone of a CMD checkpoint as a plain MMAction2 checkpoint.

The written file holds ``{'state_dict': {'backbone.<name>': tensor},
'meta': {...}}``, the form MMAction2's own recognizers load with
``model.backbone.init_cfg=dict(type='Pretrained', checkpoint=PATH,
prefix='backbone.')``: self-supervised weights feeding an ordinary
supervised fine-tuning config, which needs no plugin code for it.
"""
import os.path as osp
from collections import OrderedDict
from typing import Dict, List

from ..compat.atomic_checkpoint import atomic_torch_save
from ..compat.checkpoint_fit import _prefixes
from ..compat.safe_checkpoint import load_from_local

QUERY, KEY = 'query', 'key'
# where each encoder's backbone sits in CMD's state_dict; the key encoder is
# MMEngine's ExponentialMovingAverage, which keeps the averaged copy as
# ``.module``
_ENCODER_PREFIX = {
    QUERY: 'query_encoders.{}.backbone.',
    KEY: 'key_encoders.{}.module.backbone.',
}
# copied from the source checkpoint's meta: scalars only, so the export
# stays loadable with weights_only=True
_KEPT_META = ('epoch', 'iter', 'seed', 'experiment_name', 'time')


class ExportError(ValueError):
    """The checkpoint has no backbone for the requested stream."""


def _strip_wrapper(state: Dict) -> Dict:
    # what MMEngine's load_from also strips: a DDP-wrapped model's prefix
    return OrderedDict(
        (key[len('module.'):] if key.startswith('module.') else key, value)
        for key, value in state.items())


def streams_in(state: Dict) -> List[str]:
    """Stream names with a query encoder in ``state``, in key order."""
    found = []
    for key in state:
        if key.startswith('query_encoders.'):
            name = key.split('.')[1]
            if name not in found:
                found.append(name)
    return found


def backbone_state_dict(state: Dict, stream: str,
                        which: str = QUERY) -> 'OrderedDict[str, object]':
    """``{'backbone.<name>': tensor}`` of one stream's encoder.

    Args:
        state (dict): A CMD model's state_dict.
        stream (str): 'joint', 'motion', 'bone' (any stream in ``state``).
        which (str): 'query' (trained by gradient, the one CMD evaluates)
            or 'key' (its EMA copy).

    Raises:
        ExportError: No CMD encoders in ``state``, or not this stream.
    """
    if which not in _ENCODER_PREFIX:
        raise ExportError(f'which={which!r}: use one of '
                          f'{sorted(_ENCODER_PREFIX)}')
    state = _strip_wrapper(state)
    streams = streams_in(state)
    if not streams:
        raise ExportError(
            'no query_encoders.<stream>.backbone.* keys: this is not a '
            'checkpoint of a CMD model (its key prefixes: '
            f'{_prefixes(state) or "none"}). Give a checkpoint that '
            'tools/train.py wrote for a configs/cmd/ config.')
    if stream not in streams:
        raise ExportError(
            f'stream {stream!r} is not in the checkpoint; it has '
            f'{", ".join(streams)}. Pass one of those as --stream.')
    prefix = _ENCODER_PREFIX[which].format(stream)
    out = OrderedDict(('backbone.' + key[len(prefix):], value)
                      for key, value in state.items()
                      if key.startswith(prefix))
    if not out:
        raise ExportError(
            f'no {prefix}* keys in the checkpoint, although it has stream '
            f'{stream!r}; export --which query instead')
    return out


def export_backbone(checkpoint: str, stream: str, out: str,
                    which: str = QUERY) -> Dict:
    """Write ``stream``'s backbone of ``checkpoint`` to ``out``.

    Returns:
        dict: The written checkpoint's ``meta``, plus ``num_tensors``.
    """
    # safe_torch_load behind the checks that name an empty, truncated or
    # foreign file
    loaded = load_from_local(checkpoint, map_location='cpu')
    if not isinstance(loaded, dict):
        raise ExportError(f'{checkpoint} holds a {type(loaded).__name__}, '
                          'not a checkpoint dict')
    state = loaded.get('state_dict', loaded)
    weights = backbone_state_dict(state, stream, which)
    source_meta = loaded.get('meta') or {}
    meta = dict(
        source=osp.abspath(checkpoint),
        stream=stream,
        encoder=which,
        exported_by='cmd_plugin tools/model_converters/export_backbone.py')
    for key in _KEPT_META:
        value = source_meta.get(key)
        if isinstance(value, (int, float, str)):
            meta[f'source_{key}'] = value
    atomic_torch_save(dict(state_dict=weights, meta=meta), out)
    return dict(meta, num_tensors=len(weights))
