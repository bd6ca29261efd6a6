from .cmd import CMD

__all__ = ['CMD']
