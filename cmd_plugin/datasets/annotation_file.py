"""Read a skeleton annotation pickle, or say exactly what is wrong with it."""
import os.path as osp
import pickle
from typing import Dict, List, Optional

from .keypoint_store import OFFSET_KEY, STORE_KEY, KeypointStore

FORMAT = ("MMAction2's skeleton format: a dict with 'split' (name -> list "
          "of frame_dir) and 'annotations' (list of dicts with frame_dir, "
          'label, keypoint (M, T, V, C), total_frames), or a keypoint store '
          '(cmd_plugin/datasets/keypoint_store.py)')


def load_annotation_file(path: str) -> Dict:
    """The unpickled annotation dict of ``path``.

    Raises:
        FileNotFoundError: No such file.
        ValueError: Not a ``.pkl``, not a pickle, or not an annotation dict.
    """
    if not osp.exists(path):
        raise FileNotFoundError(
            f'annotation file {path} does not exist. Make it with a '
            'converter in tools/data/ (see README "Data"), or set the '
            "dataset's ann_file to where it is.")
    if osp.isdir(path):
        raise ValueError(f'annotation file {path} is a directory; set '
                         "ann_file to the .pkl file inside it")
    if not path.endswith('.pkl'):
        raise ValueError(f'annotation file {path} is not a .pkl; expected '
                         f'{FORMAT}')
    try:
        with open(path, 'rb') as f:
            data = pickle.load(f)
    except Exception as exc:  # any unpickling failure means "not ours"
        raise ValueError(
            f'annotation file {path} cannot be read as a pickle '
            f'({type(exc).__name__}: {exc}); expected {FORMAT}. Re-run the '
            'converter.') from exc
    if isinstance(data, list):
        data = dict(annotations=data)  # MMAction2 accepts a bare list
    if not isinstance(data, dict) or not isinstance(
            data.get('annotations'), list):
        kind = type(data).__name__
        keys = sorted(data)[:8] if isinstance(data, dict) else None
        raise ValueError(
            f'annotation file {path} holds a {kind}'
            + (f' with keys {keys}' if keys is not None else '')
            + f', not an annotation dict; expected {FORMAT}.')
    stored = STORE_KEY in data
    if stored:
        KeypointStore(path, data[STORE_KEY])  # checks the field
    need = OFFSET_KEY if stored else 'keypoint'
    for i, ann in enumerate(data['annotations']):
        if isinstance(ann, dict) and 'raw_file' in ann and need not in ann:
            raise ValueError(
                f'annotation file {path} is a table of contents whose '
                f'keypoints are in kpfiles (annotation {i} has raw_file='
                f'{ann["raw_file"]!r}; pyskl\'s Kinetics format). Convert it '
                'once into a memory-mapped keypoint store: python '
                f'tools/data/make_keypoint_store.py --src {path} --kpfiles '
                'DIR --out NEW.pkl, then set ann_file=NEW.pkl.')
        if not isinstance(ann, dict) or need not in ann:
            raise ValueError(
                f'annotation file {path}: annotation {i} is a '
                f'{type(ann).__name__}'
                + (f' with keys {sorted(ann)[:8]}' if isinstance(ann, dict)
                   else '')
                + f', not an annotation dict; expected {FORMAT}.')
    return data


def select_split(data: Dict, split: Optional[str], path: str) -> List[Dict]:
    """The annotations of ``split`` (all of them when it is None).

    Raises:
        ValueError: The file has no such split, or the split selects no
            sample.
    """
    annotations = data['annotations']
    if split is None:
        samples = annotations
    else:
        splits = data.get('split')
        if not isinstance(splits, dict) or split not in splits:
            have = sorted(splits) if isinstance(splits, dict) else []
            raise ValueError(
                f'split {split!r} is not in {path}; it has '
                f'{have or "no splits"}. Set the dataset\'s split to one of '
                'them.')
        names = set(splits[split])
        key = 'filename' if annotations and 'filename' in annotations[0] \
            else 'frame_dir'
        samples = [a for a in annotations if a.get(key) in names]
    if not samples and split is None:
        raise ValueError(f'{path} holds no annotations; re-run the '
                         'converter')
    if not samples:
        raise ValueError(
            f'split {split!r} of {path} selects no sample (it lists '
            f'{len(data["split"][split])} names, none of them annotated). '
            "Check the converter's split files or the split name.")
    return samples
