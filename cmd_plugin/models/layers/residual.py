"""The shortcut of a residual graph/temporal unit."""
from typing import Optional

from torch import nn


def residual_branch(in_channels: int, out_channels: int,
                    enabled: bool = True) -> Optional[nn.Module]:
    """None when disabled, the identity when the widths agree, else a 1x1
    convolution with BatchNorm that maps the input to the output width."""
    if not enabled:
        return None
    if in_channels == out_channels:
        return nn.Identity()
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 1),
        nn.BatchNorm2d(out_channels))
