"""Command-line plumbing shared by the ``tools/data/*_to_pkl.py`` scripts."""
import argparse
import sys
from typing import Callable, Optional

from .base import (NothingConverted, SkeletonConverter, format_summary,
                   run_conversion)

ConverterFactory = Callable[[], SkeletonConverter]


def add_output_args(parser: argparse.ArgumentParser) -> None:
    """Add ``--out``, ``--report`` and ``--no-progress``."""
    parser.add_argument(
        '--out', required=True, help='output annotation pickle (.pkl)')
    parser.add_argument(
        '--report',
        metavar='FILE',
        help='also write the summary and every skipped sample (with its '
        'reason) to this JSON file')
    parser.add_argument(
        '--no-progress', action='store_true', help='hide the progress bar')


def make_converter(factory: ConverterFactory) -> Optional[SkeletonConverter]:
    """Build a converter; a missing folder or file or a bad option is
    printed as one line (and None returned) instead of a traceback."""
    try:
        return factory()
    except (OSError, ValueError) as error:
        print(f'error: {error}')
        return None


def run_cli(converter: SkeletonConverter, args: argparse.Namespace) -> int:
    """Run a conversion with a progress bar and print its summary.

    Returns:
        int: Process exit status, 0 when a file was written.
    """
    progress = None
    if not args.no_progress:
        from tqdm import tqdm

        def progress(sources):
            return tqdm(
                sources,
                desc='converting',
                unit='file',
                file=sys.stderr,
                dynamic_ncols=True)

    try:
        report = run_conversion(converter, args.out, progress)
        status = 0
    except NothingConverted as error:
        report = error.report
        status = 1
        print(f'error: {error}')
    for line in format_summary(report):
        print(line)
    report.write(args.report)
    if args.report:
        print(f'report: {args.report}')
    return status
