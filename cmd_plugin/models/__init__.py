from . import (backbones, heads, layers, losses, necks,  # noqa: F401
               recognizers, selfsup)
