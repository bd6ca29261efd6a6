"""Write a keypoint store (cmd_plugin/datasets/keypoint_store.py) one clip
at a time, so a converter holds the table of contents in memory, not the
keypoints."""
import os
import os.path as osp
import re
import struct
import tempfile
import uuid
from typing import Dict, Optional

import numpy as np

from ..datasets.keypoint_store import OFFSET_KEY, STORE_KEY, STORE_SUFFIX
from .io import _current_umask, dump_pickle_atomic
from .report import SampleError

_ARRAYS = ('keypoint', 'keypoint_score')
# room for any shape's digits; a multiple of 64 keeps the data aligned
_HEADER_BYTES = 128


def npy_header(shape: tuple, dtype: np.dtype) -> bytes:
    """A ``.npy`` (format 1.0) header of exactly :data:`_HEADER_BYTES`."""
    text = (f"{{'descr': {np.lib.format.dtype_to_descr(dtype)!r}, "
            f"'fortran_order': False, 'shape': {tuple(shape)!r}, }}")
    magic = b'\x93NUMPY\x01\x00'
    length = _HEADER_BYTES - len(magic) - 2
    if len(text) >= length:
        raise ValueError(f'shape {shape} does not fit the .npy header')
    return magic + struct.pack('<H', length) + \
        (text.ljust(length - 1) + '\n').encode('latin1')


def _exact_in(values: np.ndarray, dtype: np.dtype) -> bool:
    """``values`` survive a round trip through ``dtype`` unchanged."""
    cast = values.astype(dtype)
    return bool(np.array_equal(cast.astype(values.dtype), values))


class KeypointStoreWriter:
    """Append clips, then :meth:`finish` with the pickle's other fields.

    Rows are written straight into a hidden ``.npy`` beside ``out`` whose
    header is completed at the end. Each write names its array afresh
    (``NAME.<token>.keypoint.npy``) and records the name, the row count and
    the dtype in the table of contents, so replacing the ``.pkl`` is the
    one step that makes a store current: a crash before it leaves the old
    pair intact, and a table can never be read against another write's
    array. Arrays of earlier writes of ``out`` are removed after it.
    :meth:`abort` removes what was written.

    The dtype is the first clip's (float16 from every converter here);
    a later clip it cannot hold exactly is reported and skipped.

    Args:
        out (str): The table-of-contents pickle to write.
    """

    def __init__(self, out: str) -> None:
        self.out = osp.abspath(out)
        folder = osp.dirname(self.out)
        os.makedirs(folder, exist_ok=True)
        stem = osp.splitext(osp.basename(out))[0]
        self.token = uuid.uuid4().hex[:12]
        self.npy = osp.join(folder, f'{stem}.{self.token}{STORE_SUFFIX}')
        self._old = re.compile(re.escape(stem) + r'\.[0-9a-f]{12}'
                               + re.escape(STORE_SUFFIX))
        fd, self._tmp = tempfile.mkstemp(
            prefix=f'.{osp.basename(self.npy)}.', suffix='.tmp', dir=folder)
        self._file = os.fdopen(fd, 'wb')
        self._file.write(b'\0' * _HEADER_BYTES)
        self.rows = 0
        self._row_shape: Optional[tuple] = None
        self._scored: Optional[bool] = None
        self.dtype: Optional[np.dtype] = None

    def add(self, annotation: Dict) -> Dict:
        """Append one clip's arrays; return its table-of-contents entry
        (the annotation without ``keypoint`` / ``keypoint_score``, with
        ``num_person`` and ``keypoint_offset``).

        Raises:
            SampleError: Not (M, T, V, C) with M, T > 0, a score not
                (M, T, V), non-finite values, or joints, channels, score or
                values the clips before it do not allow.
        """
        keypoint = np.asarray(annotation['keypoint'])
        if keypoint.ndim != 4 or 0 in keypoint.shape:
            raise SampleError('wrong shape', f'keypoint {keypoint.shape}; '
                              'want (M, T, V, C) with M, T, V, C > 0')
        scored = 'keypoint_score' in annotation
        rows = keypoint
        if scored:
            score = np.asarray(annotation['keypoint_score'])
            if score.shape != keypoint.shape[:3]:
                raise SampleError('wrong shape', f'keypoint_score '
                                  f'{score.shape}, want {keypoint.shape[:3]}')
            rows = np.concatenate([keypoint, score[..., None].astype(
                keypoint.dtype)], -1)
        if not np.issubdtype(rows.dtype, np.floating):
            rows = rows.astype(np.float32)  # integer pixels, exactly
        if not np.isfinite(rows).all():
            raise SampleError('non-finite coordinates', 'NaN or inf values')
        num_person, frames = rows.shape[:2]
        rows = rows.reshape(num_person * frames, *rows.shape[2:])
        if self._row_shape is None:
            self._row_shape, self._scored = rows.shape[1:], scored
            self.dtype = rows.dtype
        elif (rows.shape[1:], scored) != (self._row_shape, self._scored):
            raise SampleError(
                'inconsistent shape',
                f'(V, C) {rows.shape[1:]} with score={scored} after clips of '
                f'{self._row_shape} with score={self._scored}; one store '
                'holds one kind of keypoint')
        if rows.dtype != self.dtype and not _exact_in(rows, self.dtype):
            raise SampleError(
                'inconsistent dtype',
                f'{rows.dtype} values that {self.dtype} (the first clip\'s) '
                'cannot hold exactly; write the store from data of one '
                'dtype')
        self._file.write(np.ascontiguousarray(rows, self.dtype).tobytes())
        entry = {k: v for k, v in annotation.items() if k not in _ARRAYS}
        entry.update(num_person=int(num_person), total_frames=int(frames))
        entry[OFFSET_KEY] = self.rows
        self.rows += num_person * frames
        return entry

    def finish(self, toc: Dict) -> None:
        """Complete the ``.npy``, then write the table of contents ``toc``
        (``split``, ``annotations`` from :meth:`add`, ``layout``, ...)."""
        if self._row_shape is None:
            raise ValueError('no clip was added; nothing to write')
        shape = (self.rows, *self._row_shape)
        self._file.seek(0)
        self._file.write(npy_header(shape, self.dtype))
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        # mkstemp makes files private; datasets are usually shared
        os.chmod(self._tmp, 0o666 & ~_current_umask())
        os.replace(self._tmp, self.npy)
        spec = dict(file=osp.basename(self.npy),
                    channels=int(self._row_shape[-1] - self._scored),
                    scored=bool(self._scored), rows=int(self.rows),
                    dtype=self.dtype.str, token=self.token)
        try:
            dump_pickle_atomic(dict(toc, **{STORE_KEY: spec}), self.out)
        except BaseException:
            os.remove(self.npy)
            raise
        folder = osp.dirname(self.out)
        for name in os.listdir(folder):
            if self._old.fullmatch(name) and name != osp.basename(self.npy):
                os.remove(osp.join(folder, name))

    def abort(self) -> None:
        self._file.close()
        if osp.exists(self._tmp):
            os.remove(self._tmp)
