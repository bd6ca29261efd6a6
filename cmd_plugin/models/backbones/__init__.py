from .gru_encoder import GRUEncoder  # noqa: F401
