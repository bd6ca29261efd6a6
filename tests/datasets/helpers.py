"""Helpers shared by the converter tests."""
import runpy
from pathlib import Path

TOOLS_DATA = Path(__file__).resolve().parents[2] / 'tools' / 'data'


def tool_main(script: str):
    """The ``main`` function of ``tools/data/<script>``."""
    return runpy.run_path(str(TOOLS_DATA / script))['main']


def skip_reasons(report) -> dict:
    """{source name: reason} for every sample a conversion report skipped."""
    return {s.name: s.reason for s in report.skipped}
