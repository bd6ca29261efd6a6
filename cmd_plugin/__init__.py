"""CMD and SCD-Net self-supervised skeleton learning for MMAction2.

Importing this package (which ``custom_imports=dict(imports=['cmd_plugin'])``
does) first repairs the pinned OpenMMLab stack, then registers the plugin's
models, transforms, datasets, metrics and hooks into ``mmaction.registry``.
"""
from .compat.known_warnings import filter_known_warnings

filter_known_warnings()  # before the stack's imports print them

from . import compat  # noqa: E402

compat.apply()

from . import datasets, engine, evaluation, models, skeleton  # noqa: E402,F401

__version__ = '0.1.0'
