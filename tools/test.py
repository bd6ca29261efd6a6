"""Evaluate with MMAction2's ``tools/test.py``, cmd_plugin loaded first.

Same arguments as MMAction2's script:
``python tools/test.py CONFIG CHECKPOINT [--work-dir DIR]``.
"""
from cmd_plugin.launch.tool import run_mmaction_tool

if __name__ == '__main__':
    run_mmaction_tool('test.py')
