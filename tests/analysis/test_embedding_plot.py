"""t-SNE panels per stream: layout, determinism, checks; the CLI."""
import numpy as np
import pytest
from mmengine.config import Config

from cmd_plugin.compat import CheckpointMismatchError
from cmd_plugin.analysis.embedding_plot import (draw_embeddings,
                                             plot_embeddings, tsne_2d)
from cmd_plugin.analysis.stream_features import (build_model, collect,
                                              eval_part, pick)
from tests.conftest import run_tool

CONFIG = 'tests/configs/cmd_tiny_synthetic.py'


def clusters(n=40, classes=4, dim=8, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % classes
    centres = rng.normal(size=(classes, dim)) * 5
    return centres[labels] + rng.normal(size=(n, dim)), labels


def test_png_one_panel_per_stream_legend_beside_them(tmp_path):
    import matplotlib.image

    x, labels = clusters()
    feats = {'joint': x, 'motion': x[::-1].copy(), 'bone': x * 2}
    out = plot_embeddings(feats, labels, str(tmp_path / 'a' / 'emb.png'),
                          title='t', class_names=list('abcd'))
    assert out.endswith('emb.png')
    height, width = matplotlib.image.imread(out).shape[:2]
    assert width > 2.5 * height  # three panels side by side

    fig = draw_embeddings(feats, labels, class_names=list('abcd'))
    panels = [ax for ax in fig.axes if ax.collections]
    assert [ax.get_title() for ax in panels] == [
        'joint (40 samples)', 'motion (40 samples)', 'bone (40 samples)']
    renderer = fig.canvas.get_renderer()
    legend = [ax.get_legend() for ax in fig.axes if ax.get_legend()][0]
    box = legend.get_window_extent(renderer)
    assert [t.get_text() for t in legend.get_texts()] == list('abcd')
    for ax in panels:  # the legend covers no point
        assert not box.overlaps(ax.get_window_extent(renderer))
        assert len(ax.collections) == 4  # one colour per class


def test_tsne_is_seeded_and_separates_clusters():
    x, labels = clusters()
    a, b = tsne_2d(x, random_state=0), tsne_2d(x, random_state=0)
    assert a.shape == (40, 2) and np.allclose(a, b)
    # well-separated input clusters stay apart: nearest neighbour agrees
    dist = ((a[:, None] - a[None]) ** 2).sum(-1) + np.eye(40) * 1e9
    assert (labels[dist.argmin(1)] == labels).mean() > 0.9


def test_plot_checks_rows_and_names(tmp_path):
    x, labels = clusters()
    with pytest.raises(ValueError, match="'joint' has 39 rows for 40"):
        plot_embeddings({'joint': x[:39]}, labels, str(tmp_path / 'x.png'))
    with pytest.raises(ValueError, match='3 class names for class index 3'):
        plot_embeddings({'joint': x}, labels, str(tmp_path / 'x.png'),
                        class_names=list('abc'))


def test_pick_spreads_over_the_set():
    assert pick(10, 0) == list(range(10))
    assert pick(10, 20) == list(range(10))
    assert pick(100, 5) == [0, 25, 50, 74, 99]


@pytest.fixture
def cfg(synthetic_pkl, monkeypatch):
    monkeypatch.setenv('CMD_DEMO_ANN_FILE', synthetic_pkl)
    return Config.fromfile(CONFIG)


def test_features_of_checkpoint_and_random(cfg, tmp_path):
    import torch

    dataset = eval_part(cfg, 'query')
    assert len(dataset) == 16
    trained = build_model(cfg, 'random', seed=5)
    path = tmp_path / 'ckpt.pth'
    torch.save(dict(state_dict=trained.state_dict(), meta={}), str(path))
    feats, labels = collect(build_model(cfg, str(path)), dataset,
                            pick(16, 10), batch_size=4)
    same, _ = collect(trained, dataset, pick(16, 10))
    other, _ = collect(build_model(cfg, 'random', seed=6), dataset,
                       pick(16, 10))
    assert sorted(feats) == ['bone', 'joint', 'motion']
    assert feats['joint'].shape == (10, 8) and labels.shape == (10, )
    assert np.allclose(feats['bone'], same['bone'], atol=1e-6)
    assert not np.allclose(feats['bone'], other['bone'])
    # a checkpoint of another model is refused, not half-loaded
    torch.save(dict(state_dict={'backbone.x': torch.ones(1)}),
               str(tmp_path / 'other.pth'))
    with pytest.raises(CheckpointMismatchError):
        build_model(cfg, str(tmp_path / 'other.pth'))


def test_cli_random_init_40_samples(synthetic_pkl, tmp_path):
    out = tmp_path / 'emb.png'
    proc = run_tool(['tools/analysis_tools/embedding_tsne.py', CONFIG,
                     'random', '--out', str(out), '--part', 'all',
                     '--max-samples', '40'],
                    dict(CMD_DEMO_ANN_FILE=synthetic_pkl))
    assert proc.stdout.strip().splitlines()[-1] == str(out)
    assert out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    assert 'The value is the same before and after' not in proc.stdout
