from .config_check_hook import ConfigCheckHook
from .eval_summary_hook import EvalSummaryHook
from .global_batch_check_hook import GlobalBatchCheckHook
from .nonfinite_loss_hook import NonFiniteLossError, NonFiniteLossHook
from .rng_state_hook import RNGStateHook, get_rng_states, set_rng_states
from .run_settings_hook import RunSettingsHook, RunSettingsMismatchError
from .skeleton_record_hook import SkeletonRecordHook
from .val_at_start_hook import ValAtStartHook
from .wall_clock_log_hook import WallClockLogHook

__all__ = [
    'ConfigCheckHook', 'EvalSummaryHook', 'GlobalBatchCheckHook',
    'NonFiniteLossError', 'NonFiniteLossHook', 'RNGStateHook',
    'RunSettingsHook', 'RunSettingsMismatchError', 'SkeletonRecordHook',
    'ValAtStartHook',
    'WallClockLogHook', 'get_rng_states', 'set_rng_states'
]
