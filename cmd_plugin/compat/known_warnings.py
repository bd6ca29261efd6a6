"""Silence the pinned stack's warnings that say nothing about a run.

Each is harmless here and printed on every run (and by every dataloader
worker), burying the warnings that matter. Filtered by message, so any
other warning of the same modules still shows.
"""
import warnings

# (message regex, category)
KNOWN = (
    # mmcv-lite has no compiled ops; no model of the plugin uses them
    (r'Fail to import ``MultiScaleDeformableAttention``', UserWarning),
    # setuptools' notice to packages that still import pkg_resources
    (r'pkg_resources is deprecated as an API', UserWarning),
    (r'pkg_resources is deprecated as an API', DeprecationWarning),
    (r'Deprecated call to `pkg_resources', DeprecationWarning),
)


def filter_known_warnings() -> None:
    """Ignore the :data:`KNOWN` warnings in this process (and the
    dataloader workers it forks); idempotent."""
    for message, category in KNOWN:
        warnings.filterwarnings('ignore', message=message, category=category)
