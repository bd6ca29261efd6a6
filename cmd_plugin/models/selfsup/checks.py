"""Build-time checks of MoCo settings that the config alone decides."""
import warnings


def positive_int(value: int, key: str) -> int:
    """``value`` as an int, or a ValueError naming ``model.<key>``."""
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f'model.{key} must be a positive integer, got '
                         f'{value!r}')
    return int(value)


def check_ema_momentum(momentum: float) -> None:
    """MMEngine's EMA momentum is the weight of the *new* parameters, the
    opposite of MoCo's m; values on the wrong side of the scale are the
    usual mistake."""
    if not 0.0 < momentum < 1.0:
        raise ValueError(
            f'model.ema_momentum={momentum} must lie in (0, 1); it is the '
            'weight of the new parameters: 0.001 means m = 0.999')
    if momentum >= 0.5:
        raise ValueError(
            f'model.ema_momentum={momentum} would make the key encoder '
            'follow the query encoder almost instantly. mmengine\'s EMA '
            'momentum is 1 - m: for MoCo\'s m = 0.999 write '
            'ema_momentum=0.001')
    if momentum > 0.1:
        warnings.warn(
            f'model.ema_momentum={momentum} means MoCo m = {1 - momentum:g}, '
            'a key encoder far less stable than published (m = 0.999, '
            'ema_momentum=0.001). Keep it only if that is intended.',
            stacklevel=3)
