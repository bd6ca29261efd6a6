from .onednn_linear import PairLinear, onednn_linear  # noqa: F401
from .paired_gru import PairedGRUFunction, PairedGRULayer  # noqa: F401
