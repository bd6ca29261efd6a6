"""Where a stream's encoder sits in a self-supervised checkpoint.

Every method on :class:`BaseMoCo` keeps its query encoders in
``query_encoders.<name>`` and their EMA copies in
``key_encoders.<name>.module``; the part a downstream model loads is
called ``backbone`` in every method. ``<name>`` is the stream for CMD (one
encoder per modality) and the method's single encoder otherwise (SCD-Net's
``scd``, trained on one modality).
"""
from typing import Iterable, List, Optional

from ...skeleton.modalities import MODALITIES

ENCODER_ROLE = 'backbone'
QUERY, KEY = 'query', 'key'
_PREFIX = {
    QUERY: 'query_encoders.{}.' + ENCODER_ROLE + '.',
    # MMEngine's ExponentialMovingAverage keeps the averaged copy as .module
    KEY: 'key_encoders.{}.module.' + ENCODER_ROLE + '.',
}


def encoder_prefix(name: str, which: str = QUERY) -> str:
    """``'query_encoders.<name>.backbone.'`` (or the key encoder's)."""
    if which not in _PREFIX:
        raise ValueError(f'which={which!r}: use one of {sorted(_PREFIX)}')
    return _PREFIX[which].format(name)


def encoder_names(keys: Iterable[str]) -> List[str]:
    """Names of the query encoders among state-dict ``keys``, in order."""
    found = []
    for key in keys:
        if key.startswith('query_encoders.'):
            name = key.split('.')[1]
            if name not in found:
                found.append(name)
    return found


def stream_encoder(keys: Iterable[str], stream: str) -> Optional[str]:
    """The encoder name that serves ``stream``: the stream's own (CMD), or
    the only encoder there is (SCD-Net); None when neither."""
    names = encoder_names(keys)
    if stream in names:
        return stream
    # one encoder for every stream (SCD-Net's); a CMD encoder named after
    # another stream never serves this one
    return names[0] if len(names) == 1 and names[0] not in MODALITIES \
        else None
