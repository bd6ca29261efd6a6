from .ctrgcn_trunk import CTRGCNTrunk  # noqa: F401
from .gru_encoder import GRUEncoder  # noqa: F401
from .scd_encoder import SCDEncoder  # noqa: F401
from .raw_coordinates import RawCoordinates  # noqa: F401
