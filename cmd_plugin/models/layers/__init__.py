from .ctrgcn_blocks import CTRGCNBlock  # noqa: F401
from .ctrgcn_graph_conv import (CTRGraphConv,  # noqa: F401
                                TopologyRefinement)
from .multiscale_temporal_conv import \
    MultiScaleTemporalConv  # noqa: F401
from .onednn_linear import PairLinear, onednn_linear  # noqa: F401
from .paired_gru import PairedGRUFunction, PairedGRULayer  # noqa: F401
from .decoupling import ClueBranch  # noqa: F401
