"""Which converter makes a missing annotation file, by its file name.

The one place that knows how each ``tools/data`` script is called, so a
launch that finds no data can print the command instead of a traceback.
Kept free of torch / mmengine imports: ``tools/dist_*.sh`` runs the data
check before any process starts.
"""
import fnmatch
import os.path as osp
from typing import List, Tuple

_NTU = ('python tools/data/ntu_to_pkl.py --src nturgb+d_skeletons '
        '--dataset {dataset} --ignore-list {ignore} --out {out}')

# (lower-case file name pattern, command template), first match wins
CONVERTERS: List[Tuple[str, str]] = [
    # MMAction2's HRNet 2-D keypoints are downloaded, not converted
    ('ntu60*2d*.pkl', 'wget https://download.openmmlab.com/mmaction/v1.0/'
     'skeleton/data/ntu60_2d.pkl -O {out}'),
    ('ntu120*2d*.pkl', 'wget https://download.openmmlab.com/mmaction/v1.0/'
     'skeleton/data/ntu120_2d.pkl -O {out}'),
    ('ntu60*.pkl',
     _NTU.format(dataset='ntu60',
                 ignore='NTU_RGBD_samples_with_missing_skeletons.txt',
                 out='{out}')),
    ('ntu120*.pkl',
     _NTU.format(dataset='ntu120',
                 ignore='NTU_RGBD120_samples_with_missing_skeletons.txt',
                 out='{out}')),
    # PKU-MMD-v1/-v2 hold skeleton/, label/ and the cross-subject/-view files
    ('pku1*.pkl', 'python tools/data/pku_to_pkl.py --part 1 --src PKU-MMD-v1 '
     '--out {out}'),
    ('pku*.pkl', 'python tools/data/pku_to_pkl.py --src PKU-MMD-v2 '
     '--out {out}'),
    ('*ucla*xy*.pkl', 'python tools/data/ucla_to_pkl.py --src '
     '../shared/data/nw-ucla --out data/skeleton/ucla.pkl && python '
     'tools/data/project_to_2d.py --src data/skeleton/ucla.pkl --out {out}'),
    ('*ucla*.pkl', 'python tools/data/ucla_to_pkl.py '
     '--src ../shared/data/nw-ucla --out {out}'),
    ('*sbu*.pkl', 'python tools/data/sbu_to_pkl.py '
     '--src ../shared/data/sbu-interaction --out {out}'),
    ('*penn*.pkl', 'python tools/data/penn_to_pkl.py '
     '--src ../shared/data/penn-action --out {out}'),
    # from pyskl's / MMAction2's Kinetics skeletons (table + kpfiles)
    ('k400*.pkl', 'python tools/data/make_keypoint_store.py --src '
     'k400_hrnet.pkl --kpfiles kpfiles --out {out}'),
    ('synthetic*2d*.pkl', 'python tools/data/make_synthetic.py --2d '
     '--out {out}'),
    ('synthetic*.pkl', 'python tools/data/make_synthetic.py --out {out}'),
]

GENERIC_HINT = ('convert your dataset with one of tools/data/*_to_pkl.py '
                '(see README.md, "Data") or set the path in the config')


def converter_command(path: str) -> str:
    """The command that writes ``path``, or a generic hint."""
    name = osp.basename(path).lower()
    for pattern, template in CONVERTERS:
        if fnmatch.fnmatch(name, pattern):
            return template.format(out=path)
    return GENERIC_HINT


def how_to_make(path: str) -> str:
    """The end of a "does not exist; ..." message for ``path``."""
    command = converter_command(path)
    if command == GENERIC_HINT:
        return command
    return f'make it with:\n    {command}'
