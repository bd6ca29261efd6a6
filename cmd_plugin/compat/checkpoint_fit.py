"""Refuse runner-level checkpoints that do not fit the model.

``Runner.load_checkpoint`` (``load_from``, ``--resume``, ``tools/test.py``)
loads with ``strict=False``: a checkpoint of another model only warns, so
``tools/test.py`` scores randomly initialised encoders and exits 0,
``load_from`` trains from scratch and ``--resume`` dies later in the
optimizer with an error that does not name the cause. Shape mismatches are
skipped the same way. Here every parameter/buffer key of the model must be in
the checkpoint with its shape (extra checkpoint keys only warn, as before).

Deliberate partial loads stay with the model's
``init_cfg=dict(type='Pretrained', checkpoint=..., prefix=...)``, which goes
through ``mmengine.runner.checkpoint.load_checkpoint`` and is not checked.
"""
import re
from collections import Counter
from typing import Dict, Iterable, List, Sequence, Tuple

from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from mmengine.runner.checkpoint import (_load_checkpoint,
                                        _load_checkpoint_to_model)

# BN counters are not needed to reproduce a model; MMEngine ignores them too
_IGNORED = ('num_batches_tracked', )
_SHOWN = 3


class CheckpointMismatchError(RuntimeError):
    """A checkpoint lacks keys of the model or holds them in other shapes."""


def _prefixes(keys: Iterable[str]) -> str:
    counts = Counter(key.split('.', 1)[0] + '.' for key in keys)
    return ', '.join(f'{p} ({n})' for p, n in sorted(counts.items()))


def _revised(state_dict: Dict, revise_keys: Sequence[Tuple[str, str]]):
    keys = {}
    for key, value in state_dict.items():
        for pattern, repl in revise_keys:
            key = re.sub(pattern, repl, key)
        keys[key] = value
    return keys


def check_checkpoint_fits(model, checkpoint, filename: str,
                          revise_keys=((r'^module\.', ''), )) -> None:
    """Raise :class:`CheckpointMismatchError` unless every model key fits.

    Args:
        model (nn.Module): The unwrapped model.
        checkpoint (dict): As loaded; its ``state_dict`` or itself.
        filename (str): For the message.
        revise_keys: MMEngine's (pattern, replacement) key renames.
    """
    if not isinstance(checkpoint, dict):
        raise CheckpointMismatchError(
            f'{filename} holds a {type(checkpoint).__name__}, not a dict of '
            'weights: it is not a checkpoint of a model.')
    state = checkpoint.get('state_dict', checkpoint)
    state = _revised(state if isinstance(state, dict) else {}, revise_keys)
    expected = {
        key: value
        for key, value in model.state_dict().items()
        if not key.endswith(_IGNORED)
    }
    missing = [key for key in expected if key not in state]
    shapes: List[str] = []
    for key, value in expected.items():
        theirs = state.get(key)
        if (key in state and hasattr(theirs, 'shape')
                and tuple(theirs.shape) != tuple(value.shape)):
            shapes.append(f'{key}: checkpoint {tuple(theirs.shape)}, model '
                          f'{tuple(value.shape)}')
    if not missing and not shapes:
        return
    lines = [
        f'{filename} does not fit the model {type(model).__name__}: it '
        f'holds {len(expected) - len(missing)} of the model\'s '
        f'{len(expected)} parameter/buffer keys'
        + (f', {len(shapes)} of them in another shape' if shapes else '')
        + '.'
    ]
    if missing:
        lines.append(f'  missing, e.g.: {", ".join(missing[:_SHOWN])}')
    if shapes:
        lines.append(f'  other shape: {"; ".join(shapes[:_SHOWN])}')
    lines += [
        f'  checkpoint key prefixes: {_prefixes(state) or "none"}',
        f'  model key prefixes: {_prefixes(expected)}',
        'Give a checkpoint written with this config (same model, same '
        'sizes). To load only a part of it, use the model\'s init_cfg=dict('
        "type='Pretrained', checkpoint=PATH, prefix=...) instead of "
        'load_from/--resume.'
    ]
    raise CheckpointMismatchError('\n'.join(lines))


def load_checkpoint(self, filename: str, map_location='cpu',
                    strict: bool = False,
                    revise_keys: list = [(r'^module.', '')]):
    """``Runner.load_checkpoint`` that first checks the checkpoint fits."""
    checkpoint = _load_checkpoint(filename, map_location=map_location)
    self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
    model = self.model.module if is_model_wrapper(self.model) else self.model
    check_checkpoint_fits(model, checkpoint, filename, revise_keys)
    checkpoint = _load_checkpoint_to_model(
        model, checkpoint, strict, revise_keys=revise_keys)
    self._has_loaded = True
    self.logger.info(f'Load checkpoint from {filename}')
    return checkpoint


def install_checkpoint_fit_check() -> None:
    """Make ``Runner.load_checkpoint`` the checked one; idempotent."""
    Runner.load_checkpoint = load_checkpoint
