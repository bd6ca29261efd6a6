"""Reference + query sets in one loader, for kNN evaluation in a ValLoop."""
from typing import List, Optional, Union

from mmengine.dataset import BaseDataset
from torch.utils.data import Dataset

from mmaction.registry import DATASETS
from .stratified_subset import stratified_subset

REFERENCE, QUERY = 'reference', 'query'


@DATASETS.register_module()
class KNNEvalDataset(Dataset):
    """Concatenate a labelled reference set and a query set, tagging samples.

    Every packed sample gets ``knn_role`` ('reference' or 'query') in its
    data sample's metainfo, so :class:`KNNAccuracy` can run 1-NN inside
    MMEngine's standard ``ValLoop``/``TestLoop`` -- including DDP, where the
    evaluator gathers all ranks' results in dataset order -- and
    ``tools/test.py`` evaluates a checkpoint by kNN with no extra script.

    Two ways to say which sets:

    * ``reference_split`` and ``query_split`` of one annotation file, plus
      the arguments both sets share (``ann_file``, ``pipeline``, ``layout``,
      ``num_person``, ``clip_len``, ...), given once; each set is a
      ``type`` dataset (default :class:`SkeletonDataset`) in test mode.
    * ``reference`` and ``query``: two dataset configs or datasets.

    ``max_reference`` / ``max_query`` evaluate a fixed subset: that many
    samples, class-stratified (every class within one sample of its share)
    and picked by a hash of ``(subset_seed, index)``, so the same samples
    on every machine, rank count and library version. This bounds the
    monitor's cost during pretraining: a kNN pass costs about
    ``(reference + query) x streams`` no-grad encoder forwards, a CMD
    epoch ``train samples x 4 x streams`` forward-equivalents (query and
    key encoder forwards, query encoder backward = 2 forwards). On NTU-60
    xsub (40,091 / 16,487) that is 35% of an epoch at ``val_interval=1``
    with the full sets, 3.3% with ``max_reference=10000`` and
    ``val_interval=5``, 9.4% with ``max_reference=10000``,
    ``max_query=5000`` at ``val_interval=1`` (docs/benchmarks.md, "kNN
    monitor cost"). Keep the full sets for the final ``tools/test.py``.

    Args:
        reference (dict | Dataset, optional): The labelled set searched for
            neighbours (e.g. the training split, evaluation pipeline).
        query (dict | Dataset, optional): The set whose labels are
            predicted.
        reference_split (str, optional): Split of the reference set.
        query_split (str, optional): Split of the query set.
        type (str): Dataset type of both sets in the split form. Defaults to
            'SkeletonDataset'.
        max_reference (int, optional): Evaluate at most this many
            reference samples (stratified subset). None: all.
        max_query (int, optional): Likewise for the query set.
        subset_seed (int): Which samples the subsets take. Defaults to 0.
        **shared: Arguments of both sets in the split form.
    """

    def __init__(self,
                 reference: Optional[Union[dict, Dataset]] = None,
                 query: Optional[Union[dict, Dataset]] = None,
                 reference_split: Optional[str] = None,
                 query_split: Optional[str] = None,
                 max_reference: Optional[int] = None,
                 max_query: Optional[int] = None,
                 subset_seed: int = 0,
                 **shared) -> None:
        by_split = reference_split is not None or query_split is not None
        if by_split == (reference is not None or query is not None):
            raise ValueError(
                'KNNEvalDataset takes either reference_split + query_split '
                '(with ann_file, pipeline and the shared dataset settings) '
                'or reference + query dataset configs, not both or neither')
        if by_split:
            if reference_split is None or query_split is None:
                raise ValueError('KNNEvalDataset needs both reference_split '
                                 'and query_split')
            base = dict(type='SkeletonDataset', test_mode=True)
            base.update(shared)
            reference = dict(base, split=reference_split)
            query = dict(base, split=query_split)
        elif shared:
            raise ValueError(
                f'KNNEvalDataset got {sorted(shared)} beside reference/query '
                'configs; put them inside those configs, or use the '
                'reference_split/query_split form where they are shared')
        elif reference is None or query is None:
            raise ValueError('KNNEvalDataset needs both reference and query')
        for key, value in (('max_reference', max_reference),
                           ('max_query', max_query)):
            if value is not None and (isinstance(value, bool) or not
                                      isinstance(value, int) or value < 1):
                raise ValueError(
                    f'KNNEvalDataset {key}={value!r}: give a number of '
                    'samples >= 1, or None for the whole set')
        self.reference = self._build(reference)
        self.query = self._build(query)
        self.max_reference, self.max_query = max_reference, max_query
        self.subset_seed = subset_seed
        self._indices = None

    def _subsets(self) -> tuple:
        """Indices kept of each set, or None for all (built on first use,
        after the sets have loaded)."""
        if self._indices is None:
            self.full_init()
            self._indices = tuple(
                None if limit is None or limit >= len(ds) else
                stratified_subset(_labels(ds), limit, self.subset_seed)
                for ds, limit in ((self.reference, self.max_reference),
                                  (self.query, self.max_query)))
        return self._indices

    @staticmethod
    def _build(dataset: Union[dict, Dataset]) -> Dataset:
        if isinstance(dataset, dict):
            return DATASETS.build(dataset)
        return dataset

    @property
    def metainfo(self) -> dict:
        return getattr(self.query, 'metainfo', {})

    def full_init(self) -> None:
        for dataset in (self.reference, self.query):
            if isinstance(dataset, BaseDataset):
                dataset.full_init()

    def _sizes(self) -> tuple:
        return tuple(
            len(ds) if kept is None else len(kept)
            for ds, kept in zip((self.reference, self.query),
                                self._subsets()))

    def __len__(self) -> int:
        return sum(self._sizes())

    def __getitem__(self, index: int) -> dict:
        num_ref, num_query = self._sizes()
        if not -len(self) <= index < len(self):
            raise IndexError(f'KNNEvalDataset index {index} out of range '
                             f'({num_ref} reference + {num_query} query)')
        index %= len(self)
        ref_kept, query_kept = self._subsets()
        if index < num_ref:
            at = index if ref_kept is None else ref_kept[index]
            item, role = self.reference[at], REFERENCE
        else:
            at = index - num_ref
            at = at if query_kept is None else query_kept[at]
            item, role = self.query[at], QUERY
        item['data_samples'].set_metainfo(dict(knn_role=role))
        return item


def _labels(dataset: Dataset) -> List[int]:
    """Class of every sample, from the annotations when the set has them
    (no pipeline run), else from the packed samples."""
    if hasattr(dataset, 'get_data_info'):
        return [int(dataset.get_data_info(i)['label'])
                for i in range(len(dataset))]
    return [int(dataset[i]['data_samples'].gt_label.reshape(-1)[0])
            for i in range(len(dataset))]
