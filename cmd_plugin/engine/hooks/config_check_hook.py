"""Stop a run whose config holds values that nothing reads."""
from mmengine.hooks import Hook

from mmaction.registry import HOOKS
from ...launch.config_checks import check_config


@HOOKS.register_module()
class ConfigCheckHook(Hook):
    """Run :func:`cmd_plugin.launch.config_checks.check_config` on the
    runner's config before anything trains or is evaluated."""

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        check_config(runner.cfg)
