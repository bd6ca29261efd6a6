from .base import BaseMoCo
from .cmd import CMD
from .scdnet import SCDNet

__all__ = ['BaseMoCo', 'CMD', 'SCDNet']
