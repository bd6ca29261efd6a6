"""A cursor over the lines of a text skeleton file with precise errors."""
from typing import List, Optional

import numpy as np

from .report import SampleError


class LineCursor:
    """Read a whitespace-separated text file line by line.

    Every failure names the line and what was expected there, so the report
    says *where* a raw file is broken, not just that it is.

    Args:
        text (str): The whole file.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.pos = 0

    def remaining(self) -> int:
        """Number of lines not read yet."""
        return len(self.lines) - self.pos

    def _take(self, what: str) -> List[str]:
        if self.pos >= len(self.lines):
            raise SampleError(
                'truncated file',
                f'ended at line {self.pos + 1} while reading {what}')
        self.pos += 1
        return self.lines[self.pos - 1].split()

    def read_int(self, what: str) -> int:
        """Read a line holding exactly one non-negative integer."""
        tokens = self._take(what)
        if len(tokens) != 1 or not tokens[0].isdigit():
            raise SampleError(
                'garbled file',
                f'line {self.pos}: expected {what} (one integer), got '
                f'{" ".join(tokens)[:40]!r}')
        return int(tokens[0])

    def skip_values(self, count: int, what: str) -> None:
        """Read a line of ``count`` values whose content is not needed."""
        tokens = self._take(what)
        if len(tokens) != count:
            raise SampleError(
                'garbled file', f'line {self.pos}: expected {count} values '
                f'for {what}, got {len(tokens)}')

    def read_matrix(self,
                    rows: int,
                    cols: int,
                    what: str,
                    count_reason: str = 'garbled file',
                    keep: Optional[int] = None) -> np.ndarray:
        """Read ``rows`` lines of ``cols`` numbers each as float64.

        Args:
            rows (int): Number of lines.
            cols (int): Values each line must have.
            what (str): What the lines hold, for error messages.
            count_reason (str): Report reason for a line with a wrong
                number of values (where that means a wrong joint count, say
                so). Defaults to ``'garbled file'``.
            keep (int, optional): Convert only the first ``keep`` values of
                each line; the rest are counted, not parsed (string to float
                conversion dominates the run time on NTU-sized data).

        Returns:
            np.ndarray: (rows, keep or cols).
        """
        if self.remaining() < rows:
            raise SampleError(
                'truncated file',
                f'ended at line {len(self.lines) + 1} while reading {what}')
        keep = cols if keep is None else keep
        values = []
        for offset in range(rows):
            tokens = self.lines[self.pos + offset].split()
            if len(tokens) != cols:
                raise SampleError(
                    count_reason, f'line {self.pos + offset + 1}: expected '
                    f'{cols} values for {what}, got {len(tokens)}')
            values.extend(tokens[:keep])
        try:
            matrix = np.array(values, dtype=np.float64).reshape(rows, keep)
        except ValueError as error:
            raise SampleError(
                'garbled file',
                f'lines {self.pos + 1}-{self.pos + rows}: {error}') from None
        self.pos += rows
        return matrix

    def check_end(self, what: str) -> None:
        """Fail if anything but blank lines follows ``what``."""
        rest = [
            i for i in range(self.pos, len(self.lines))
            if self.lines[i].strip()
        ]
        if rest:
            raise SampleError(
                'garbled file',
                f'unexpected data at line {rest[0] + 1} after {what}')
