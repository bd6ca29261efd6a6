# The tiny CMD run, frozen half-way through writing its epoch-2 checkpoint
# (tests/tools/kill_during_save.py), keeping one checkpoint as the demo does.
_base_ = './cmd_tiny_synthetic.py'

custom_imports = dict(
    imports=['cmd_plugin', 'tests.tools.kill_during_save'],
    allow_failed_imports=False)
custom_hooks = _base_.custom_hooks + [dict(type='FreezeMidSaveHook', epoch=2)]
default_hooks = dict(checkpoint=dict(max_keep_ckpts=1))
