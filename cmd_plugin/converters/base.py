"""The conversion loop shared by every dataset: stream sources, collect
samples, build splits, write the pickle atomically."""
import os
import os.path as osp
from typing import Callable, Dict, Iterable, List, Optional, Sequence

from .io import dump_pickle_atomic
from .report import ConversionReport, SampleError
from .store_writer import KeypointStoreWriter


def files_with_suffix(folder: str, suffix: str) -> List[str]:
    """Sorted paths of the regular files in ``folder`` ending in ``suffix``.

    The suffix is matched case-insensitively: datasets copied through
    Windows or FAT media often arrive as ``A01.JSON`` or ``S001.SKELETON``.
    """
    suffix = suffix.lower()
    return sorted(
        osp.join(folder, entry.name) for entry in os.scandir(folder)
        if entry.name.lower().endswith(suffix) and entry.is_file())


class NothingConverted(RuntimeError):
    """Raised when no sample survived; no output file is written then."""


class EmptySplit(NothingConverted):
    """Raised when a split ended up empty; no output file is written then.

    A split with no sample is always a wrong split definition or a wrong
    source folder on real data, and training on it fails much later with a
    far less clear message.
    """


class SkeletonConverter:
    """Interface of a raw-dataset-to-pickle converter.

    Subclasses list their source files and turn one source into zero or more
    annotation dicts (``frame_dir``, ``label``, ``keypoint``,
    ``total_frames``). :func:`run_conversion` owns the loop, error handling
    and writing, so a dataset module only parses.
    """

    #: Split names written to the pickle, in order.
    split_names: Sequence[str] = ()
    #: Number of classes of the dataset (labels are 0-based).
    num_classes: int = 0
    #: Name of the joint layout in ``cmd_plugin.skeleton.layouts``, stored
    #: in the pickle so a config with another layout can be refused.
    layout: str = ''

    def sources(self) -> List[str]:
        """Source paths to convert, in a deterministic order."""
        raise NotImplementedError

    def source_name(self, source: str) -> str:
        """Name of a source in the report (file name without extension)."""
        return osp.splitext(osp.basename(source))[0]

    def convert(self, source: str, report: ConversionReport) -> List[Dict]:
        """Parse one source.

        Raise :class:`~.report.SampleError` to skip the whole source; add
        skips of single samples within it to ``report`` directly.
        """
        raise NotImplementedError

    def splits_of(self, annotation: Dict) -> Iterable[str]:
        """Names of the splits ``annotation`` belongs to."""
        raise NotImplementedError

    def extra_summary(self) -> Dict:
        """Dataset-specific lines for the summary (e.g. ignore-list use)."""
        return {}

    def top_level_fields(self) -> Dict:
        """Pickle fields beside ``layout``/``split``/``annotations``, e.g.
        ``classes`` (the names a dataset takes its class count from);
        called after every source is converted."""
        return {}


def run_conversion(
    converter: SkeletonConverter,
    out: str,
    progress: Optional[Callable[[Sequence[str]], Iterable[str]]] = None,
    allow_empty_splits: bool = True,
    keypoint_store: bool = False,
) -> ConversionReport:
    """Convert every source of ``converter`` and write ``out``.

    Only one source is parsed at a time, so memory holds one raw sample plus
    the (float16) output. Any exception while parsing a source skips that
    source and is recorded; the run itself never stops halfway.

    Args:
        converter (SkeletonConverter): The dataset converter.
        out (str): Output pickle path.
        progress (callable, optional): Wraps the source list, e.g.
            ``tqdm``. Defaults to no progress display.
        allow_empty_splits (bool): Write the file even if a split has no
            sample (small test sets); the command-line tools refuse by
            default. Defaults to True.
        keypoint_store (bool): Write a table of contents to ``out`` and
            the keypoints to one memory-mapped ``.npy`` beside it
            (cmd_plugin/datasets/keypoint_store.py), one clip at a time:
            the format for Kinetics-sized sets. Defaults to False.

    Returns:
        ConversionReport: Skipped samples and ``summary``.

    Raises:
        NothingConverted: No sample could be converted (nothing written;
            the report is attached as ``error.report``).
        EmptySplit: A split is empty and ``allow_empty_splits`` is False
            (nothing written; ``error.report`` as above).
    """
    if not converter.layout:
        raise ValueError(f'{type(converter).__name__} sets no `layout`; '
                         'give it the name of its joint layout')
    report = ConversionReport()
    sources = converter.sources()
    writer = KeypointStoreWriter(out) if keypoint_store else None
    try:
        return _convert(converter, out, sources, report, progress,
                        allow_empty_splits, writer)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise


def _convert(converter, out, sources, report, progress, allow_empty_splits,
             writer) -> ConversionReport:
    annotations: List[Dict] = []
    seen = set()
    for source in (progress(sources) if progress else sources):
        try:
            samples = converter.convert(source, report)
        except Exception as error:  # noqa: BLE001 - any parser failure
            report.add_error(converter.source_name(source), error)
            continue
        for sample in samples:
            if sample['frame_dir'] in seen:
                report.add(sample['frame_dir'], 'duplicate name',
                           'an earlier sample has the same frame_dir')
                continue
            seen.add(sample['frame_dir'])
            if writer is not None:
                try:
                    sample = writer.add(sample)
                except SampleError as error:
                    report.add(sample['frame_dir'], error.reason,
                               error.detail)
                    continue
            annotations.append(sample)

    split: Dict[str, List[str]] = {name: [] for name in converter.split_names}
    for sample in annotations:
        for name in converter.splits_of(sample):
            split[name].append(sample['frame_dir'])

    labels = sorted({int(a['label']) for a in annotations})
    report.summary = dict(
        sources=len(sources),
        samples=len(annotations),
        splits={
            name: len(names)
            for name, names in split.items()
        },
        classes=len(labels),
        num_classes=converter.num_classes,
        skipped=len(report.skipped),
        **converter.extra_summary())
    if not annotations:
        error = NothingConverted(
            f'no sample could be converted from {len(sources)} sources; '
            'nothing written')
        error.report = report
        raise error
    empty = [name for name, names in split.items() if not names]
    if empty and not allow_empty_splits:
        error = EmptySplit(
            f'{"splits" if len(empty) > 1 else "split"} {", ".join(empty)} '
            f'would be empty ({len(annotations)} '
            'samples converted); nothing written. Check the split '
            'definition and the source folder')
        error.report = report
        raise error
    fields = dict(converter.top_level_fields())
    clash = sorted(set(fields) & {'layout', 'split', 'annotations'})
    if clash:
        raise ValueError(f'{type(converter).__name__}.top_level_fields() '
                         f'returns {clash}, which run_conversion writes '
                         'itself; rename them')
    toc = dict(fields, layout=converter.layout, split=split,
               annotations=annotations)
    if writer is not None:
        writer.finish(toc)
    else:
        dump_pickle_atomic(toc, out)
    report.summary['output'] = osp.abspath(out)
    return report


def format_summary(report: ConversionReport) -> List[str]:
    """Human-readable summary lines of a finished conversion."""
    summary = dict(report.summary)
    lines = [
        f"samples: {summary.pop('samples'):,} "
        f"(from {summary.pop('sources'):,} source files)"
    ]
    splits = summary.pop('splits', {})
    if splits:
        lines.append('splits: ' + ', '.join(f'{name} {count:,}'
                                            for name, count in splits.items()))
    classes, expected = summary.pop('classes'), summary.pop('num_classes')
    lines.append(f'classes: {classes}' +
                 (f' (dataset has {expected})' if expected != classes else ''))
    summary.pop('skipped', None)
    output = summary.pop('output', None)
    lines.extend(f'{key}: {value}' for key, value in summary.items())
    lines.extend(report.format_skipped())
    if output:
        lines.append(f'written: {output}')
    return lines
