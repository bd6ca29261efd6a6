"""Reference + query sets in one loader, for kNN evaluation in a ValLoop."""
from typing import Union

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

    Args:
        reference (dict | Dataset): The labelled set searched for neighbours
            (e.g. the training split with the evaluation pipeline).
        query (dict | Dataset): The set whose labels are predicted.
    """

    def __init__(self, reference: Union[dict, Dataset],
                 query: Union[dict, Dataset]) -> None:
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
