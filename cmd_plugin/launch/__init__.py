"""Everything between a command line and a built runner.

Settling a config (the dataset block fills the loaders, the data fills the
model: :mod:`settled_config`, :mod:`dataset_block`, :mod:`model_from_data`),
checking it (:mod:`config_checks`, :mod:`config_keys`), the file checks run
before any process starts (:mod:`preflight`, :mod:`data_hints`; torch-free,
``tools/dist_*.sh`` run ``preflight.py`` as a script) and running
MMAction2's own train/test scripts with the plugin loaded (:mod:`tool`).

Sits above ``skeleton``, ``datasets`` and ``models`` (it reads data records
and model signatures) and below ``engine``, whose runner settles configs
with it.
"""
