"""Skipped-sample bookkeeping shared by the dataset converters.

Raw skeleton dumps always hold some broken files. A converter records each
one with a short reason and goes on, so one bad file never costs a
multi-hour conversion, and the user gets a list to check instead of a
silently smaller dataset.
"""
import json
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional

from .io import write_text_atomic


class SampleError(Exception):
    """A source file or sample that cannot be converted.

    Args:
        reason (str): Short, fixed category such as ``'truncated file'``;
            the report groups skipped samples by it.
        detail (str): Specifics, e.g. the offending line. Defaults to ''.
    """

    def __init__(self, reason: str, detail: str = '') -> None:
        super().__init__(f'{reason}: {detail}' if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class Skipped:
    """One skipped source file or sample."""

    name: str
    reason: str
    detail: str = ''


@dataclass
class ConversionReport:
    """Skipped samples and final counts of one conversion run."""

    skipped: List[Skipped] = field(default_factory=list)
    summary: Dict = field(default_factory=dict)

    def add(self, name: str, reason: str, detail: str = '') -> None:
        """Record that ``name`` was skipped."""
        self.skipped.append(Skipped(name, reason, detail))

    def add_error(self, name: str, error: Exception) -> None:
        """Record a skip from a caught exception.

        Anything other than :class:`SampleError` is a parser surprise; its
        type name is kept so such cases stay recognisable in the report.
        """
        if isinstance(error, SampleError):
            self.add(name, error.reason, error.detail)
        else:
            self.add(name, 'unreadable', f'{type(error).__name__}: {error}')

    def counts_by_reason(self) -> 'OrderedDict[str, int]':
        """Number of skipped samples per reason, most frequent first."""
        counts: Dict[str, int] = {}
        for item in self.skipped:
            counts[item.reason] = counts.get(item.reason, 0) + 1
        return OrderedDict(
            sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def format_skipped(self, max_examples: int = 3) -> List[str]:
        """Human-readable lines: one per reason, with a few examples."""
        if not self.skipped:
            return ['skipped: none']
        lines = [f'skipped: {len(self.skipped)}']
        for reason, count in self.counts_by_reason().items():
            examples = [s for s in self.skipped if s.reason == reason]
            shown = ', '.join(f'{s.name} ({s.detail})' if s.detail else s.name
                              for s in examples[:max_examples])
            more = ' ...' if count > max_examples else ''
            lines.append(f'  {reason}: {count} - {shown}{more}')
        return lines

    def to_dict(self) -> Dict:
        """JSON-serialisable form (summary plus every skipped sample)."""
        return dict(
            summary=self.summary,
            skipped_by_reason=dict(self.counts_by_reason()),
            skipped=[asdict(s) for s in self.skipped])

    def write(self, path: Optional[str]) -> None:
        """Write the report as JSON to ``path`` (no-op when None),
        atomically like the pickle."""
        if path is None:
            return
        write_text_atomic(json.dumps(self.to_dict(), indent=1) + '\n', path)
