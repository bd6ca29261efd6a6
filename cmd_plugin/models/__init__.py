from . import backbones, losses, necks, selfsup  # noqa: F401
