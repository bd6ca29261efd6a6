"""Raw skeleton datasets -> MMAction2 skeleton annotation pickles, and the
synthetic skeleton generator (``synthetic.py``).

Library side of ``tools/data/*_to_pkl.py`` and ``make_synthetic.py``:
parsing is per dataset, the conversion loop, skip report and atomic
writing are shared. Offline tooling: nothing a run builds imports it (it
is not imported by ``import cmd_plugin``).
"""
from .base import (EmptySplit, NothingConverted, SkeletonConverter,
                   files_with_suffix, format_summary, run_conversion)
from .io import dump_pickle_atomic, output_problem, write_text_atomic
from .keypoint import drop_empty_bodies, finalize_keypoint
from .keypoint2d import finalize_keypoint_2d, make_annotation_2d
from .ntu import (NameList, NTUConverter, NTUName, body_energy,
                  read_name_list, read_skeleton_file, select_bodies)
from .penn import PENN_LAYOUT, PennConverter, read_penn_json
from .pku import PKUConverter, read_pku_skeleton, read_split_file
from .pose_estimates import (PoseEstimateConverter, read_mmpose_json,
                             read_pose_pickle)
from .report import ConversionReport, SampleError
from .sbu import SBUConverter, read_sbu_file
from .ucla import UCLAConverter, read_ucla_json

__all__ = [
    'ConversionReport', 'EmptySplit', 'NTUConverter', 'NTUName', 'NameList',
    'NothingConverted', 'PENN_LAYOUT', 'PKUConverter', 'PennConverter',
    'PoseEstimateConverter', 'SBUConverter', 'SampleError',
    'SkeletonConverter',
    'UCLAConverter', 'body_energy',
    'drop_empty_bodies', 'dump_pickle_atomic', 'files_with_suffix',
    'finalize_keypoint', 'finalize_keypoint_2d', 'format_summary',
    'make_annotation_2d', 'output_problem', 'read_mmpose_json',
    'read_name_list', 'read_penn_json', 'read_pku_skeleton',
    'read_pose_pickle',
    'read_sbu_file', 'read_skeleton_file', 'read_split_file',
    'read_ucla_json',
    'run_conversion', 'select_bodies', 'write_text_atomic'
]
