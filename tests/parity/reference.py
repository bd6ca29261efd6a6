"""The authors' numbers (``../shared/parity``), read in the project's terms.

The fixtures store state keys and config keys as the code named them when
they were made. A refactor that renames a parameter or a config key maps
the old name here, in one place; the stored numbers never change.
"""
import copy
import os.path as osp
from typing import Dict, Optional

import pytest
import torch

from ..conftest import ROOT

PARITY_DIR = osp.normpath(osp.join(ROOT, '..', 'shared', 'parity'))

# (fixture prefix, current prefix) of state-dict keys, applied in order.
STATE_KEY_RENAMES = (
    # the encoder role has one name in every method
    ('query_encoders.scd.encoder.', 'query_encoders.scd.backbone.'),
    ('key_encoders.scd.module.encoder.', 'key_encoders.scd.module.backbone.'),
)
# {fixture config key path: current key path}, dotted, e.g.
# {'encoder.trunk.reduction': 'encoder.trunk.rel_reduction'}.
CONFIG_KEY_RENAMES: Dict[str, str] = {
    'encoder': 'backbone',  # SCD-Net's encoder is its backbone too
}


def load(name: str) -> dict:
    """The fixture ``name`` (e.g. 'cmd_gru_step'); fails, never skips, when
    ``../shared`` is missing: these tests are what keeps the methods
    faithful."""
    path = osp.join(PARITY_DIR, f'{name}.pt')
    if not osp.isfile(path):
        pytest.fail(
            f'parity fixture {path} not found. The parity tests read the '
            "authors' numbers from ../shared/parity beside the project "
            'root; put the shared folder there (CI copies it) and rerun.',
            pytrace=False)
    return torch.load(path, weights_only=True)


def rename_key(key: str) -> str:
    """A fixture state key under the code's current name."""
    for old, new in STATE_KEY_RENAMES:
        if key.startswith(old):
            key = new + key[len(old):]
    return key


def renamed(tensors: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """``tensors`` with every key under its current name."""
    return {rename_key(k): v for k, v in tensors.items()}


def model_cfg(fixture: dict) -> dict:
    """The fixture's model config with renamed config keys applied."""
    cfg = copy.deepcopy(fixture['project_model_cfg'])
    for old, new in CONFIG_KEY_RENAMES.items():
        value = _pop_path(cfg, old)
        if value is not _MISSING:
            _set_path(cfg, new, value)
    return cfg


def assert_within(name: str, actual: torch.Tensor, expected: torch.Tensor,
                  tol: dict, scale: Optional[float] = None) -> float:
    """The fixtures' rule ``max|a - e| <= atol + rtol * scale``, scale
    defaulting to ``max|e|``; returns worst / tolerance."""
    actual = torch.as_tensor(actual).detach().double().cpu()
    expected = torch.as_tensor(expected).detach().double().cpu()
    assert actual.shape == expected.shape, (
        f'{name}: shape {tuple(actual.shape)} != reference '
        f'{tuple(expected.shape)}')
    if scale is None:
        scale = expected.abs().max().item() if expected.numel() else 0.0
    bound = tol['atol'] + tol.get('rtol', 0.0) * scale
    worst = (actual - expected).abs().max().item() if actual.numel() else 0.
    assert worst <= bound, (
        f"{name} differs from the authors' reference by {worst:.3g} "
        f'(tolerance {bound:.3g}, scale {scale:.3g})')
    return worst / bound


def assert_all_within(group: str, actual: Dict[str, torch.Tensor],
                      expected: Dict[str, torch.Tensor], tol: dict,
                      shared_scale: bool = False) -> None:
    """Every tensor of ``expected`` (fixture names) against ``actual``
    (current names); ``shared_scale`` takes max|e| over the whole group,
    the rule for gradients (some are round-off only)."""
    expected = renamed(expected)
    missing = sorted(set(expected) - set(actual))
    assert not missing, f'{group}: the model has no {missing[:5]}'
    scale = None
    if shared_scale:
        scale = max(v.abs().max().item() for v in expected.values())
    for key, value in expected.items():
        assert_within(f'{group}[{key}]', actual[key], value, tol, scale)


_MISSING = object()


def _pop_path(cfg: dict, path: str):
    *parents, leaf = path.split('.')
    for p in parents:
        cfg = cfg.get(p) if isinstance(cfg, dict) else None
    if not isinstance(cfg, dict) or leaf not in cfg:
        return _MISSING
    return cfg.pop(leaf)


def _set_path(cfg: dict, path: str, value) -> None:
    *parents, leaf = path.split('.')
    for p in parents:
        cfg = cfg.setdefault(p, {})
    cfg[leaf] = value
