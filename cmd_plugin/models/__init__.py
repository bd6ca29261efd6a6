from . import algorithms, backbones, layers, losses, necks  # noqa: F401
