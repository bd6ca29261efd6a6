"""Write a keypoint store (cmd_plugin/datasets/keypoint_store.py) one clip
at a time, so a converter holds the table of contents in memory, not the
keypoints."""
import os
import os.path as osp
import tempfile
from typing import Dict, Optional

import numpy as np

from ..datasets.keypoint_store import (OFFSET_KEY, STORE_KEY,
                                       store_file_name)
from .io import _current_umask, dump_pickle_atomic
from .report import SampleError

_ARRAYS = ('keypoint', 'keypoint_score')
_CHUNK_ROWS = 1 << 16


class KeypointStoreWriter:
    """Append clips, then :meth:`finish` with the pickle's other fields.

    Rows go to a hidden temporary file beside ``out`` first (the ``.npy``
    header needs the final row count); :meth:`finish` writes the ``.npy``
    and then the table of contents, each all or nothing. :meth:`abort`
    removes what was written.

    Args:
        out (str): The table-of-contents pickle to write; its array goes
            beside it as ``NAME.keypoint.npy``.
    """

    def __init__(self, out: str) -> None:
        self.out = osp.abspath(out)
        self.npy = osp.join(osp.dirname(self.out), store_file_name(out))
        os.makedirs(osp.dirname(self.out), exist_ok=True)
        fd, self._raw_path = tempfile.mkstemp(
            prefix=f'.{osp.basename(self.npy)}.', suffix='.rows',
            dir=osp.dirname(self.out))
        self._raw = os.fdopen(fd, 'wb')
        self.rows = 0
        self._row_shape: Optional[tuple] = None
        self._scored: Optional[bool] = None
        self.dtype: Optional[np.dtype] = None

    def add(self, annotation: Dict) -> Dict:
        """Append one clip's arrays; return its table-of-contents entry
        (the annotation without ``keypoint`` / ``keypoint_score``, with
        ``num_person`` and ``keypoint_offset``).

        Raises:
            SampleError: Its joints, channels or score differ from the
                clips before it.
        """
        keypoint = np.asarray(annotation['keypoint'])
        scored = 'keypoint_score' in annotation
        rows = keypoint
        if scored:
            rows = np.concatenate(
                [keypoint, np.asarray(annotation['keypoint_score'])[..., None]],
                -1)
        num_person, frames = rows.shape[:2]
        rows = rows.reshape(num_person * frames, *rows.shape[2:])
        if self._row_shape is None:
            self._row_shape, self._scored = rows.shape[1:], scored
            # float16 (every converter here, MMAction2's HRNet pickles)
            # stays float16; anything else is kept exactly as float32
            self.dtype = np.dtype(np.float16 if rows.dtype == np.float16
                                  else np.float32)
        elif (rows.shape[1:], scored) != (self._row_shape, self._scored):
            raise SampleError(
                'inconsistent shape',
                f'(V, C) {rows.shape[1:]} with score={scored} after clips of '
                f'{self._row_shape} with score={self._scored}; one store '
                'holds one kind of keypoint')
        self._raw.write(np.ascontiguousarray(rows, self.dtype).tobytes())
        entry = {k: v for k, v in annotation.items() if k not in _ARRAYS}
        entry.update(num_person=int(num_person), total_frames=int(frames))
        entry[OFFSET_KEY] = self.rows
        self.rows += num_person * frames
        return entry

    def finish(self, toc: Dict) -> None:
        """Write the ``.npy`` and the table of contents ``toc`` (``split``,
        ``annotations`` from :meth:`add`, ``layout``, ...)."""
        self._raw.close()
        if self._row_shape is None:
            raise ValueError('no clip was added; nothing to write')
        shape = (self.rows, *self._row_shape)
        raw = np.memmap(self._raw_path, self.dtype, 'r', shape=shape)
        fd, tmp = tempfile.mkstemp(prefix=f'.{osp.basename(self.npy)}.',
                                   suffix='.tmp', dir=osp.dirname(self.out))
        os.close(fd)
        try:
            array = np.lib.format.open_memmap(tmp, 'w+', self.dtype, shape)
            for start in range(0, self.rows, _CHUNK_ROWS):
                array[start:start + _CHUNK_ROWS] = \
                    raw[start:start + _CHUNK_ROWS]
            array.flush()
            del array, raw
            # mkstemp makes files private; datasets are usually shared
            os.chmod(tmp, 0o666 & ~_current_umask())
            os.replace(tmp, self.npy)
        finally:
            for path in (tmp, self._raw_path):
                if osp.exists(path):
                    os.remove(path)
        channels = self._row_shape[-1] - self._scored
        dump_pickle_atomic(
            dict(toc, **{STORE_KEY: dict(file=osp.basename(self.npy),
                                         channels=int(channels),
                                         scored=bool(self._scored))}),
            self.out)

    def abort(self) -> None:
        self._raw.close()
        if osp.exists(self._raw_path):
            os.remove(self._raw_path)
