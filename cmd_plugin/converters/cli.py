"""Command-line plumbing shared by the ``tools/data/*_to_pkl.py`` scripts."""
import argparse
import sys
from typing import Callable, Optional, Sequence

from .base import (EmptySplit, NothingConverted, SkeletonConverter,
                   format_summary, run_conversion)
from .io import output_problem

ConverterFactory = Callable[[], SkeletonConverter]


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1 (0 or less would silently drop
    every body or sample)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f'must be 1 or more, got {value}')
    return value


def non_negative_int(text: str) -> int:
    """argparse type: an integer >= 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f'must be 0 or more, got {value}')
    return value


def example_epilog(doc: str) -> str:
    """The ``Example::`` (or ``Examples::``) block of a script docstring,
    for ``--help``, so the help and the docstring cannot show different
    paths."""
    for heading in ('Examples::', 'Example::'):
        if heading in doc:
            return (heading[:-2].lower() + ':' +
                    doc.split(heading, 1)[1].rstrip())
    raise ValueError('the script docstring has no Example:: block')


def new_parser(description: str, doc: str) -> argparse.ArgumentParser:
    """A parser whose ``--help`` ends with the script's example."""
    return argparse.ArgumentParser(
        description=description,
        epilog=example_epilog(doc),
        formatter_class=argparse.RawDescriptionHelpFormatter)


def add_output_args(parser: argparse.ArgumentParser) -> None:
    """Add ``--out``, ``--report``, ``--allow-empty-splits``,
    ``--keypoint-store`` and ``--no-progress``."""
    parser.add_argument(
        '--out', required=True, help='output annotation pickle (.pkl)')
    parser.add_argument(
        '--report',
        metavar='FILE',
        help='also write the summary and every skipped sample (with its '
        'reason) to this JSON file')
    parser.add_argument(
        '--allow-empty-splits',
        action='store_true',
        help='write the pickle even if a split has no sample (by default '
        'that is an error: it means a wrong split file or source folder)')
    parser.add_argument(
        '--keypoint-store', action='store_true',
        help='write the keypoints to one memory-mapped '
        'NAME.<token>.keypoint.npy beside --out, which then holds the table of contents only: the '
        'format for Kinetics-sized sets (docs/keypoints-2d.md)')
    parser.add_argument(
        '--no-progress', action='store_true', help='hide the progress bar')


def check_outputs(args: argparse.Namespace,
                  options: Sequence[str] = ('out', 'report')) -> bool:
    """Print one line per output option that cannot be written.

    Runs before any parsing, so a bad path costs seconds, not a whole
    conversion, and no output is written when another would fail.

    Returns:
        bool: True when every given output path can be written.
    """
    ok = True
    for option in options:
        path = getattr(args, option, None)
        problem = output_problem(path) if path else ''
        if problem:
            print(f'error: --{option} {path}: {problem}')
            ok = False
    return ok


def make_converter(factory: ConverterFactory) -> Optional[SkeletonConverter]:
    """Build a converter; a missing folder or file or a bad option is
    printed as one line (and None returned) instead of a traceback."""
    try:
        return factory()
    except (OSError, ValueError) as error:
        print(f'error: {error}')
        return None


def convert_main(args: argparse.Namespace, factory: ConverterFactory) -> int:
    """Check the outputs, build the converter, run it.

    Returns:
        int: Exit status: 0 written, 1 nothing usable converted, 2 bad
        arguments or inputs.
    """
    if not check_outputs(args):
        return 2
    converter = make_converter(factory)
    return 2 if converter is None else run_cli(converter, args)


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
        report = run_conversion(
            converter,
            args.out,
            progress,
            allow_empty_splits=getattr(args, 'allow_empty_splits', False),
            keypoint_store=getattr(args, 'keypoint_store', False))
        status = 0
    except NothingConverted as error:
        report = error.report
        status = 1
        print(f'error: {error}')
        if isinstance(error, EmptySplit):
            print('(--allow-empty-splits writes it anyway, e.g. for a '
                  'deliberately partial dataset)')
    except OSError as error:
        # The paths were checked up front, so this is a source folder that
        # vanished or a disk that filled up meanwhile.
        print(f'error: {error} (converting to --out {args.out})')
        return 1
    for line in format_summary(report):
        print(line)
    report.write(args.report)
    if args.report:
        print(f'report: {args.report}')
    return status
