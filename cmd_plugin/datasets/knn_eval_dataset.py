"""Reference + query sets in one loader, for kNN evaluation in a ValLoop."""
from typing import Optional, Union

from mmengine.dataset import BaseDataset
from torch.utils.data import Dataset

from mmaction.registry import DATASETS

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

    Args:
        reference (dict | Dataset, optional): The labelled set searched for
            neighbours (e.g. the training split, evaluation pipeline).
        query (dict | Dataset, optional): The set whose labels are
            predicted.
        reference_split (str, optional): Split of the reference set.
        query_split (str, optional): Split of the query set.
        type (str): Dataset type of both sets in the split form. Defaults to
            'SkeletonDataset'.
        **shared: Arguments of both sets in the split form.
    """

    def __init__(self,
                 reference: Optional[Union[dict, Dataset]] = None,
                 query: Optional[Union[dict, Dataset]] = None,
                 reference_split: Optional[str] = None,
                 query_split: Optional[str] = None,
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
        self.reference = self._build(reference)
        self.query = self._build(query)

    @staticmethod
    def _build(dataset: Union[dict, Dataset]) -> Dataset:
        return DATASETS.build(dataset) if isinstance(dataset, dict) else dataset

    @property
    def metainfo(self) -> dict:
        return getattr(self.query, 'metainfo', {})

    def full_init(self) -> None:
        for dataset in (self.reference, self.query):
            if isinstance(dataset, BaseDataset):
                dataset.full_init()

    def __len__(self) -> int:
        return len(self.reference) + len(self.query)

    def __getitem__(self, index: int) -> dict:
        num_ref = len(self.reference)
        if index < num_ref:
            item, role = self.reference[index], REFERENCE
        else:
            item, role = self.query[index - num_ref], QUERY
        item['data_samples'].set_metainfo(dict(knn_role=role))
        return item
