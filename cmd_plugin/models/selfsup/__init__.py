from .base import BaseMoCo
from .cmd import CMD

__all__ = ['BaseMoCo', 'CMD']
