"""Train with MMAction2's ``tools/train.py``, cmd_plugin loaded first.

Same arguments as MMAction2's script, e.g.
``python tools/train.py configs/cmd_ntu60.py --work-dir work_dirs/cmd``.
"""
from cmd_plugin.launch.tool import run_mmaction_tool

if __name__ == '__main__':
    run_mmaction_tool('train.py')
