from . import backbones, layers, losses, necks, selfsup  # noqa: F401
