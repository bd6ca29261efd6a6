from .flip import SwapLeftRight  # noqa: F401
from .keypoint_2d import AppendKeypointScore, PreNormalizeImage2D  # noqa: F401
from .masking import SegmentTemporalMask, StructuralSpatialMask  # noqa: F401
from .modality import ToModality  # noqa: F401
from .multi_view import MultiView  # noqa: F401
from .random_choice import RandomChooseOne  # noqa: F401
from .rng import (get_pipeline_rng_state, pipeline_rng,  # noqa: F401
                  seed_pipeline_rng, set_pipeline_rng_state)
from .rotation import RandomAxisRotation  # noqa: F401
from .spatial import JointCorruption, Shear  # noqa: F401
from .temporal import CenterCropResize, TemporalCropResize  # noqa: F401
from .normalize import PreNormalize2sAGCN  # noqa: F401
from .normalize_skeleton import PreNormalizeSkeleton  # noqa: F401
from .wrappers import ProbabilityApply  # noqa: F401
