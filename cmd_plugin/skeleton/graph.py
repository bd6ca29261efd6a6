"""A layout as MMAction2's ``Graph`` takes it, and backbones that follow
``model.layout``."""
import copy
from typing import Union

from torch import nn

from .layouts import LAYOUTS, get_layout, graph_layout, layout_name

# What MMAction2 1.2.0's Graph accepts by name, and their joint counts.
_GRAPH_NODES = {'openpose': 18, 'nturgb+d': 25, 'coco': 17}
_GRAPH_NAMES = tuple(_GRAPH_NODES)
# names Graph knows that the plugin defines no layout for ('coco' has one:
# skeleton/layouts.py COCO_17, with Graph's own edges)
_GRAPH_ONLY_NAMES = ('openpose', 'coco')


def with_layout(backbone: dict, layout: Union[str, dict]) -> dict:
    """A copy of ``backbone`` whose graph (if it has one) uses ``layout``.

    A graph layout left out of the config follows ``model.layout``; one
    that is given must describe the same joints, so the two cannot drift
    apart silently.

    Raises:
        ValueError: ``graph_cfg.layout`` is unknown to MMAction2's Graph or
            differs from ``model.layout``.
    """
    backbone = copy.deepcopy(backbone)
    if isinstance(backbone, dict) and isinstance(backbone.get('trunk'), dict):
        # SCD-Net's encoder: the graph is its trunks' (spatial by default)
        trunk = dict(backbone['trunk'])
        trunk.setdefault('graph_cfg', dict(mode='spatial'))
        backbone['trunk'] = with_layout(trunk, layout)
        return backbone
    graph_cfg = backbone.get('graph_cfg') if isinstance(backbone, dict) \
        else None
    if graph_cfg is None:
        return backbone
    wanted = graph_layout(layout)
    given = graph_cfg.get('layout')
    if given is None:
        graph_cfg['layout'] = wanted
        return backbone
    if isinstance(given, str) and given not in _GRAPH_NAMES:
        raise ValueError(
            f'backbone.graph_cfg.layout={given!r} is not a layout MMAction2\'s '
            f'Graph knows ({", ".join(_GRAPH_NAMES)} or a dict with num_node, '
            'inward and center). Leave it out: it follows model.layout '
            f'({layout_name(layout)!r}).')
    given_edges, wanted_edges = _edges(given), _edges(wanted)
    if given_edges[0] != wanted_edges[0]:
        raise ValueError(
            f'the backbone is built for {given_edges[0]} joints '
            f'(backbone.graph_cfg.layout={_describe(given)}) but model.layout '
            f'{layout_name(layout)!r} has num_node={wanted_edges[0]}. Remove '
            'backbone.graph_cfg.layout: the graph follows model.layout.')
    if given_edges != wanted_edges:
        raise ValueError(
            f'backbone.graph_cfg.layout ({_describe(given)}) differs from '
            f'model.layout {layout_name(layout)!r} ({_describe(wanted)}). '
            'Remove backbone.graph_cfg.layout: the graph follows '
            'model.layout.')
    return backbone


def _edges(layout: Union[str, dict]) -> tuple:
    if isinstance(layout, str):
        if layout not in LAYOUTS:  # 'openpose': the plugin defines none
            return (_GRAPH_NODES[layout], layout)
        layout = get_layout(layout)
    return (int(layout['num_node']), int(layout['center']),
            sorted(tuple(int(i) for i in e) for e in layout['inward']))


def _describe(layout: Union[str, dict]) -> str:
    if isinstance(layout, str):
        return repr(layout)
    return f"{layout.get('num_node')} joints, centre {layout.get('center')}"


def check_backbone_joints(backbone: nn.Module, num_node: int) -> None:
    """Compare the backbone's joint count (when it exposes one) with the
    layout's, so a mismatch fails at build time, not mid-training."""
    graph = getattr(backbone, 'graph', None)
    for owner, attr in ((graph, 'num_node'), (backbone, 'num_node'),
                        (backbone, 'num_joints')):
        value = getattr(owner, attr, None) if owner is not None else None
        if isinstance(value, int) and value != num_node:
            raise ValueError(
                f'the backbone is built for {value} joints but '
                f'model.layout has num_node={num_node}; give the backbone '
                '(e.g. its num_joints) the same layout as model.layout')


# the fields of a graph given as MMAction2's own edge dict
_GRAPH_KEYS = ('num_node', 'inward', 'center')


def resolve_graph_layout(layout: Union[str, dict]) -> Union[str, dict]:
    """What ``Graph(layout=...)`` takes for a plugin layout name or dict,
    an MMAction2 layout name, or an MMAction2 edge dict (no ``parents``).

    Raises:
        ValueError: An unknown name or an incomplete dict, naming
            ``graph_cfg.layout``.
    """
    if isinstance(layout, str) and layout not in LAYOUTS \
            and layout in _GRAPH_ONLY_NAMES:
        return layout
    if isinstance(layout, dict) and 'parents' not in layout \
            and all(k in layout for k in _GRAPH_KEYS):
        return {k: layout[k] for k in _GRAPH_KEYS}
    try:
        return graph_layout(layout)
    except (TypeError, ValueError) as err:
        raise ValueError(f'graph_cfg.layout: {err}') from err
