"""One stream's backbone of a self-supervised checkpoint as a plain
MMAction2 checkpoint.

The written file holds ``{'state_dict': {'backbone.<name>': tensor},
'meta': {...}}``, the form MMAction2's own recognizers load with
``model.backbone.init_cfg=dict(type='Pretrained', checkpoint=PATH,
prefix='backbone.')``: self-supervised weights feeding an ordinary
supervised fine-tuning config, which needs no plugin code for it.
"""
import os.path as osp
from collections import OrderedDict
from typing import Dict, Optional, Union

from ..compat.atomic_checkpoint import atomic_torch_save
from ..compat.checkpoint_fit import _prefixes
from ..compat.safe_checkpoint import load_from_local
from ..models.selfsup.encoder_prefix import (KEY, QUERY, encoder_names,
                                             encoder_prefix, stream_encoder)
from ..skeleton.layouts import graph_layout
from ..skeleton.record import META_KEY, check_skeleton, recorded_skeleton

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
    if which not in (QUERY, KEY):
        raise ExportError(f'which={which!r}: use one of {[QUERY, KEY]}')
    state = _strip_wrapper(state)
    streams = encoder_names(state)
    if not streams:
        raise ExportError(
            'no query_encoders.<name>.backbone.* keys: this is not a '
            'checkpoint of a CMD model or an SCD-Net model (its key '
            f'prefixes: {_prefixes(state) or "none"}). Give a checkpoint '
            'that tools/train.py wrote for a configs/cmd/ or configs/scdnet/ '
            'config.')
    name = stream_encoder(state, stream)
    if name is None:
        raise ExportError(
            f'stream {stream!r} is not in the checkpoint; it has '
            f'{", ".join(streams)}. Pass one of those as --stream.')
    prefix = encoder_prefix(name, which)
    out = OrderedDict(('backbone.' + key[len(prefix):], value)
                      for key, value in state.items()
                      if key.startswith(prefix))
    if not out:
        raise ExportError(
            f'no {prefix}* keys in the checkpoint, although it has stream '
            f'{stream!r}; export --which query instead')
    return out


def export_backbone(checkpoint: str, stream: str, out: str,
                    which: str = QUERY,
                    expect_layout: Optional[Union[str, dict]] = None
                    ) -> Dict:
    """Write ``stream``'s backbone of ``checkpoint`` to ``out``, with the
    skeleton it was trained on (``meta['skeleton']``) when the checkpoint
    records it.

    Args:
        expect_layout (str | dict, optional): Refuse a checkpoint trained
            on another layout.

    Returns:
        dict: The written checkpoint's ``meta``, plus ``num_tensors``.

    Raises:
        SkeletonMismatchError: ``expect_layout`` is not the checkpoint's.
    """
    # safe_torch_load behind the checks that name an empty, truncated or
    # foreign file
    loaded = load_from_local(checkpoint, map_location='cpu')
    if not isinstance(loaded, dict):
        raise ExportError(f'{checkpoint} holds a {type(loaded).__name__}, '
                          'not a checkpoint dict')
    if expect_layout is not None:
        check_skeleton(loaded, expect_layout, checkpoint, '--layout')
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
    skeleton = recorded_skeleton(loaded)
    if skeleton is not None:
        meta[META_KEY] = skeleton
    atomic_torch_save(dict(state_dict=weights, meta=meta), out)
    return dict(meta, num_tensors=len(weights))


def stock_settings(meta: Dict, path: str) -> str:
    """The MMAction2 settings that load an export: its backbone config as
    pretrained, the graph layout as a dict and the ``Pretrained`` init;
    empty when the export records no skeleton or its backbone is the
    plugin's own (GRU encoder, SCD-Net's encoder)."""
    skeleton = meta.get(META_KEY)
    if not skeleton or not is_stock_backbone(skeleton.get('backbone')):
        return ''
    backbone = dict(skeleton.get('backbone') or {})
    graph = graph_layout(skeleton['layout'])
    if isinstance(graph, dict):
        graph = dict(num_node=graph['num_node'],
                     inward=[list(e) for e in graph['inward']],
                     center=graph['center'])
    if isinstance(backbone.get('graph_cfg'), dict):
        backbone['graph_cfg'] = dict(backbone['graph_cfg'], layout=graph)
    backbone['init_cfg'] = dict(type='Pretrained', checkpoint=path,
                                prefix='backbone.')
    return f'model = dict(backbone={backbone!r})'


def is_stock_backbone(backbone) -> bool:
    """Whether a backbone config is one of MMAction2's own models (which a
    stock MMAction2 config builds without the plugin)."""
    from mmaction.registry import MODELS
    kind = backbone.get('type') if isinstance(backbone, dict) else None
    cls = MODELS.get(kind) if isinstance(kind, str) else None
    return cls is not None and cls.__module__.startswith('mmaction.')
