"""A cursor over the lines of a text skeleton file with precise errors."""
from typing import List

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
                    count_reason: str = 'garbled file') -> np.ndarray:
        """Read ``rows`` lines of ``cols`` numbers each as float64.

        ``count_reason`` is the report reason for a line with a wrong number
        of values (where that means a wrong joint count, say so).
        """
        if self.remaining() < rows:
            raise SampleError(
                'truncated file',
                f'ended at line {len(self.lines) + 1} while reading {what}')
        block = [line.split() for line in
                 self.lines[self.pos:self.pos + rows]]
        for offset, tokens in enumerate(block):
            if len(tokens) != cols:
                raise SampleError(
                    count_reason, f'line {self.pos + offset + 1}: expected '
                    f'{cols} values for {what}, got {len(tokens)}')
        try:
            values = np.array(block, dtype=np.float64)
        except ValueError as error:
            raise SampleError(
                'garbled file',
                f'lines {self.pos + 1}-{self.pos + rows}: {error}') from None
        self.pos += rows
        return values

    def check_end(self, what: str) -> None:
        """Fail if anything but blank lines follows ``what``."""
        rest = [i for i in range(self.pos, len(self.lines))
                if self.lines[i].strip()]
        if rest:
            raise SampleError(
                'garbled file',
                f'unexpected data at line {rest[0] + 1} after {what}')
