import pytest
import torch
import torch.nn.functional as F

from cmd_plugin.evaluation.functional import FUSED, knn_search, knn_vote
from .knn_brute_force import brute_force_from_sims, brute_force_predict


def _predict(query, reference, labels, k, streams, fused=(), qc=1024,
             rc=8192, temperature=0.07, weighting='exp'):
    out = {s: [] for s in streams}
    for _, found in knn_search(query, reference, k, streams, fused, qc, rc):
        for s, (sims, idx) in found.items():
            out[s].append(knn_vote(sims, idx, labels, int(labels.max()) + 1,
                                   temperature, weighting))
    return {s: torch.cat(v) for s, v in out.items()}


def _random(n_q=23, n_r=41, dim=6, classes=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(n_q, dim, generator=g)
    r = torch.randn(n_r, dim, generator=g)
    return q, r, torch.randint(classes, (n_r, ), generator=g)


@pytest.mark.parametrize('k,weighting', [(1, 'exp'), (5, 'exp'),
                                         (5, 'uniform'), (100, 'exp')])
def test_matches_brute_force(k, weighting):
    q, r, labels = _random()
    got = _predict(dict(a=q), dict(a=r), labels, k, ['a'], qc=7, rc=9,
                   weighting=weighting, temperature=0.1)['a']
    expected = brute_force_predict(q, r, labels, k, 0.1, weighting)
    assert got.tolist() == expected.tolist()


@pytest.mark.parametrize('qc,rc', [(1, 1), (3, 5), (4, 16), (100, 100)])
def test_chunk_sizes_do_not_change_neighbours(qc, rc):
    q, r, labels = _random()
    ref = list(knn_search(dict(a=q), dict(a=r), 6, ['a'], (), 100, 100))
    sims, idx = ref[0][1]['a']
    got = list(knn_search(dict(a=q), dict(a=r), 6, ['a'], (), qc, rc))
    assert torch.equal(torch.cat([f['a'][1] for _, f in got]), idx)
    assert torch.allclose(torch.cat([f['a'][0] for _, f in got]), sims)


@pytest.mark.parametrize('qc,rc', [(1, 1), (2, 3), (8, 64)])
def test_ties_go_to_the_lower_reference_index(qc, rc):
    # reference rows repeat (same direction, different labels): every
    # query meets exact ties, inside and across blocks
    base = F.normalize(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), dim=1)
    r = base.repeat(6, 1)  # rows 0, 2, 4, ... equal; 1, 3, 5, ... equal
    labels = torch.arange(12) % 5
    q = torch.tensor([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    found = torch.cat([f['a'][1] for _, f in knn_search(
        dict(a=q), dict(a=r), 3, ['a'], (), qc, rc)])
    assert found[0].tolist() == [0, 2, 4]
    assert found[1].tolist() == [1, 3, 5]
    assert found[2].tolist() == [0, 1, 2]  # all 12 tie at cos 0.707
    for k in (1, 3, 4):
        got = _predict(dict(a=q), dict(a=r), labels, k, ['a'], qc=qc,
                       rc=rc, weighting='uniform')['a']
        sims = F.normalize(q, dim=1).double() @ r.double().T
        assert got.tolist() == brute_force_from_sims(
            sims, labels, k, weighting='uniform').tolist()


def test_fused_is_the_mean_of_stream_cosines():
    q1, r1, labels = _random(seed=1)
    q2, r2, _ = _random(dim=9, seed=2)
    # the old definition: cosine of the concatenated normalised streams
    cat_q = torch.cat([F.normalize(q1, dim=1), F.normalize(q2, dim=1)], 1)
    cat_r = torch.cat([F.normalize(r1, dim=1), F.normalize(r2, dim=1)], 1)
    mean = (F.normalize(q1, dim=1) @ F.normalize(r1, dim=1).T +
            F.normalize(q2, dim=1) @ F.normalize(r2, dim=1).T) / 2
    assert torch.allclose(F.normalize(cat_q, dim=1)
                          @ F.normalize(cat_r, dim=1).T, mean, atol=1e-6)
    query, reference = dict(a=q1, b=q2), dict(a=r1, b=r2)
    for k in (1, 7):
        got = _predict(query, reference, labels, k, ['a', FUSED],
                       ('a', 'b'), qc=5, rc=6)
        assert got[FUSED].tolist() == brute_force_predict(
            cat_q, cat_r, labels, k).tolist()
        assert got['a'].tolist() == brute_force_predict(q1, r1, labels,
                                                        k).tolist()
    _, found = next(knn_search(query, reference, 41, [FUSED], ('a', 'b'),
                               100, 100))
    sims, idx = found[FUSED]
    assert torch.allclose(sims, mean.gather(1, idx), atol=1e-6)


def test_exp_weights_stay_finite_at_low_temperature():
    sims = torch.tensor([[0.99, 0.98, 0.2]])
    labels = torch.tensor([0, 1, 1])
    assert knn_vote(sims, torch.tensor([[0, 1, 2]]), labels, 2,
                    temperature=1e-3).tolist() == [0]
    # a warm temperature lets the two class-1 neighbours outvote
    assert knn_vote(sims, torch.tensor([[0, 1, 2]]), labels, 2,
                    temperature=10.0).tolist() == [1]


def test_row_streams_give_the_same_neighbours():
    from cmd_plugin.evaluation.functional import RowStreams
    q1, r1, _ = _random(seed=3)
    q2, r2, _ = _random(dim=4, seed=4)
    layout = [('a', 6), ('b', 4)]
    rows = lambda x, y: list(torch.cat([x, y], dim=1).half())  # noqa
    as_dicts = [dict(a=torch.stack(rows(q1, q2))[:, :6],
                     b=torch.stack(rows(q1, q2))[:, 6:]),
                dict(a=torch.stack(rows(r1, r2))[:, :6],
                     b=torch.stack(rows(r1, r2))[:, 6:])]
    as_rows = [RowStreams(rows(q1, q2), layout),
               RowStreams(rows(r1, r2), layout)]
    on_device = as_rows[1].to_device(torch.device('cpu'), block=5)
    assert torch.equal(on_device.feats['b'], as_dicts[1]['b'])
    results = [list(knn_search(*pair, 4, ['a', 'b', FUSED], ('a', 'b'), 6,
                               7)) for pair in (as_dicts, as_rows,
                                                (as_rows[0], on_device))]
    for other in results[1:]:
        for (_, x), (_, y) in zip(results[0], other):
            for s in x:
                assert torch.equal(x[s][1], y[s][1])


def test_row_slabs_pack_rows_and_grow():
    from cmd_plugin.evaluation.functional import RowSlabs
    slabs = RowSlabs(max_bytes=10 * 4 * 2)  # at most 10 rows of 4 halves
    batches = [torch.randn(3, 4) for _ in range(5)]
    rows = [r for b in batches for r in slabs.store(b, torch.float16)]
    assert torch.equal(torch.stack(rows), torch.cat(batches).half())
    bases = {r.untyped_storage().data_ptr() for r in rows}
    sizes = sorted({r.untyped_storage().nbytes() // 8 for r in rows})
    assert len(bases) == 3 and sizes == [3, 6, 10]  # 3, doubled, capped
