import pytest
import torch

from cmd_plugin.evaluation.metrics import KNNAccuracy
from .knn_brute_force import brute_force_predict


def _samples(n_ref=30, n_q=17, seed=0, streams=('joint', 'motion', 'bone')):
    g = torch.Generator().manual_seed(seed)
    out = []
    for i in range(n_ref + n_q):
        out.append(dict(
            knn_role='reference' if i < n_ref else 'query',
            gt_label=torch.tensor([int(torch.randint(3, (1, ),
                                                     generator=g))]),
            stream_features={s: torch.randn(5, generator=g)
                             for s in streams}))
    return out


def _run(samples, batch=4, **options):
    metric = KNNAccuracy(**options)
    for i in range(0, len(samples), batch):
        metric.process(None, samples[i:i + batch])
    return metric.compute_metrics(metric.results)


def _brute(samples, stream, k, temperature=0.07, weighting='exp'):
    ref = [s for s in samples if s['knn_role'] == 'reference']
    query = [s for s in samples if s['knn_role'] == 'query']

    def feats(rows):
        if stream != 'fused':
            return torch.stack([r['stream_features'][stream] for r in rows])
        return torch.cat([
            torch.nn.functional.normalize(
                torch.stack([r['stream_features'][s] for r in rows]), dim=1)
            for s in rows[0]['stream_features']], dim=1)

    labels = lambda rows: torch.cat([r['gt_label'] for r in rows])  # noqa
    predicted = brute_force_predict(feats(query), feats(ref), labels(ref), k,
                                    temperature, weighting)
    return (predicted == labels(query)).float().mean().item()


@pytest.mark.parametrize('options', [
    dict(), dict(k=5, temperature=0.07), dict(k=8, weighting='uniform'),
    dict(k=3, temperature=0.5, chunk_size=2, reference_chunk_size=3),
    dict(k=4, feature_dtype='float32', device='cpu')])
def test_weighted_knn_per_stream_and_fused(options):
    samples = _samples()
    got = _run(samples, **options)
    assert list(got) == ['joint', 'motion', 'bone', 'fused']
    for stream, accuracy in got.items():
        assert accuracy == pytest.approx(_brute(
            samples, stream, options.get('k', 1),
            options.get('temperature', 0.07),
            options.get('weighting', 'exp')))


def test_weighted_votes_change_the_answer():
    # nearest neighbour class 0, the next four class 1
    def s(role, label, x):
        return dict(knn_role=role, gt_label=torch.tensor([label]),
                    stream_features=torch.tensor(x))
    samples = [s('reference', 0, [1.0, 0.0]),
               *[s('reference', 1, [0.9, 0.3 + 0.01 * i]) for i in range(4)],
               s('query', 1, [1.0, 0.05])]
    assert _run(samples) == dict(feature=0.0)
    assert _run(samples, k=5, temperature=1.0) == dict(feature=1.0)
    assert _run(samples, k=5, temperature=0.001) == dict(feature=0.0)
    assert _run(samples, k=100, weighting='uniform') == dict(feature=1.0)


def test_streams_pick_what_is_scored():
    samples = _samples()
    full = _run(samples)
    assert _run(samples, streams=['bone', 'joint']) == dict(
        joint=full['joint'], bone=full['bone'])
    assert _run(samples, streams=['fused']) == dict(fused=full['fused'])
    assert set(_run(samples, fuse=False)) == {'joint', 'motion', 'bone'}


def test_only_picked_streams_are_stored():
    metric = KNNAccuracy(streams=['joint'])
    metric.process(None, _samples()[:2])
    assert metric.results[0]['feature'].shape == (5, )
    assert metric.results[0]['feature'].dtype == torch.float16
    metric = KNNAccuracy()
    metric.process(None, _samples()[:2])
    assert metric.results[0]['feature'].shape == (15, )


def test_results_are_freed_when_stacked():
    metric = KNNAccuracy()
    metric.process(None, _samples())
    gathered = list(metric.results)  # what collect_results hands over
    metric.compute_metrics(gathered)
    assert gathered == [] and metric.results == []


@pytest.mark.parametrize('key,value', [
    ('k', 0), ('k', 2.5), ('k', True), ('temperature', 0),
    ('temperature', -1.0), ('temperature', 'hot'), ('weighting', 'cosine'),
    ('chunk_size', 0), ('reference_chunk_size', -4),
    ('feature_dtype', 'int8'), ('streams', 'joint'), ('streams', [])])
def test_invalid_options_name_the_key(key, value):
    with pytest.raises(ValueError, match=f'{key}='):
        KNNAccuracy(**{key: value})


def test_stream_names_are_checked_against_the_model():
    with pytest.raises(ValueError, match="streams.*no \\['hand'\\].*joint"):
        _run(_samples(), streams=['joint', 'hand'])
    with pytest.raises(ValueError, match='fuse=False'):
        KNNAccuracy(streams=['fused'], fuse=False)
    with pytest.raises(ValueError, match='one stream'):
        _run(_samples(streams=('joint', )), streams=['fused'])


def test_streams_of_different_sizes():
    samples = _samples()
    for s in samples:
        s['stream_features']['motion'] = torch.cat(
            [s['stream_features']['motion']] * 2)
    # float32: float16 rows flip one near-tie neighbour of these 5-d data
    got = _run(samples, k=3, feature_dtype='float32')
    for stream, accuracy in got.items():
        assert accuracy == pytest.approx(_brute(samples, stream, 3))


def test_rows_own_their_storage_across_ranks(monkeypatch):
    # a row view would pickle its whole batch when gathered; in one
    # process rows stay views of one compact batch tensor
    from cmd_plugin.evaluation.metrics import knn_metric
    threads = torch.get_num_threads()
    for world, nbytes in ((1, 4 * 15 * 2), (2, 15 * 2)):  # 4-row slab
        monkeypatch.setattr(knn_metric, 'get_world_size', lambda: world)
        metric = KNNAccuracy()
        metric.process(None, _samples(n_ref=4, n_q=0))
        row = metric.results[0]['feature']
        assert row.untyped_storage().nbytes() == nbytes
    assert torch.get_num_threads() == threads


def test_cuda_is_the_default_device_when_present(monkeypatch):
    metric = KNNAccuracy()
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    assert metric._device().type == 'cuda'
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    assert metric._device().type == 'cpu'
    assert KNNAccuracy(device='cuda:1')._device() == torch.device('cuda:1')
