"""t-SNE maps of per-stream features, one panel per stream, one PNG.

:func:`plot_embeddings` takes features already computed (``{stream: (N, D)
array}``) so a demo or notebook can call it directly;
``tools/analysis_tools/embedding_tsne.py`` computes them from a config and a
checkpoint first (:mod:`cmd_plugin.analysis.stream_features`).
"""
import math
import os
import os.path as osp
from typing import Dict, Mapping, Optional, Sequence

import numpy as np

# legend columns of up to this many entries each, so 60 NTU classes still
# fit beside the panels
_PER_COLUMN = 20


def tsne_2d(features: np.ndarray, random_state: int = 0,
            perplexity: Optional[float] = None) -> np.ndarray:
    """(N, D) -> (N, 2) by scikit-learn's t-SNE, seeded.

    Args:
        perplexity: Defaults to 30, or less for small N (scikit-learn needs
            it below N).
    """
    from sklearn.manifold import TSNE

    features = np.asarray(features, dtype=np.float64).reshape(
        len(features), -1)
    n = len(features)
    if n < 3:
        raise ValueError(f't-SNE needs at least 3 samples, got {n}')
    if perplexity is None:
        perplexity = float(min(30.0, max(1.0, (n - 1) / 3)))
    tsne = TSNE(n_components=2, perplexity=perplexity, init='pca',
                learning_rate='auto', random_state=random_state)
    return tsne.fit_transform(features)


def _colours(num: int):
    from matplotlib import colormaps

    if num <= 10:
        return [colormaps['tab10'](i) for i in range(num)]
    if num <= 20:
        return [colormaps['tab20'](i) for i in range(num)]
    cmap = colormaps['turbo']
    return [cmap(i / max(1, num - 1)) for i in range(num)]


def plot_embeddings(features: Mapping[str, np.ndarray],
                    labels: Sequence[int],
                    out_path: str,
                    title: Optional[str] = None,
                    class_names: Optional[Sequence[str]] = None,
                    random_state: int = 0,
                    already_2d: bool = False) -> str:
    """Draw one t-SNE panel per stream, points coloured by class, into a
    PNG.

    Args:
        features: ``{stream: (N, D) array}``, rows in the order of labels.
        labels: N class indices.
        out_path: PNG to write (folders are made).
        title: Figure title.
        class_names: Name of each class index; indices when None.
        random_state: t-SNE seed, so reruns draw the same map.
        already_2d: The features are 2-D points to draw as they are.

    Returns:
        str: ``out_path``.
    """
    fig = draw_embeddings(features, labels, title, class_names,
                          random_state, already_2d)
    folder = osp.dirname(osp.abspath(out_path))
    os.makedirs(folder, exist_ok=True)
    fig.savefig(out_path)
    return out_path


def draw_embeddings(features: Mapping[str, np.ndarray],
                    labels: Sequence[int],
                    title: Optional[str] = None,
                    class_names: Optional[Sequence[str]] = None,
                    random_state: int = 0,
                    already_2d: bool = False):
    """The figure :func:`plot_embeddings` saves (a matplotlib ``Figure``
    on the Agg canvas; pyplot and its global backend are not touched)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = np.asarray(labels).reshape(-1)
    if not features:
        raise ValueError('no stream features to plot')
    for stream, value in features.items():
        if len(value) != len(labels):
            raise ValueError(f'stream {stream!r} has {len(value)} rows for '
                             f'{len(labels)} labels')
    classes = sorted(set(labels.tolist()))
    if class_names is not None and max(classes) >= len(class_names):
        raise ValueError(
            f'{len(class_names)} class names for class index '
            f'{max(classes)}; give one name per class, in index order')
    names = {c: (str(class_names[c]) if class_names is not None else
                 str(c)) for c in classes}
    colours = dict(zip(classes, _colours(len(classes))))

    # past 20 classes the colours come close: the marker tells neighbours
    # apart
    markers = dict((c, 'o' if len(classes) <= 20 else 'osD^'[i % 4])
                   for i, c in enumerate(classes))

    num = len(features)
    columns = math.ceil(len(classes) / _PER_COLUMN)
    # the legend gets its own strip on the right, never over points; its
    # width follows the longest name (inches at font size 8-9)
    longest = max(len(n) for n in names.values())
    legend_width = columns * max(0.9, 0.5 + 0.075 * longest)
    fig = Figure(figsize=(4.2 * num + legend_width, 4.6), dpi=120)
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(1, num + 1, width_ratios=[4.2] * num +
                            [legend_width])
    size = 30 if len(labels) <= 200 else 12 if len(labels) <= 2000 else 5
    handles = {}
    for i, (stream, value) in enumerate(features.items()):
        points = np.asarray(value) if already_2d else tsne_2d(
            value, random_state)
        ax = fig.add_subplot(grid[0, i])
        for c in classes:
            mask = labels == c
            handles[c] = ax.scatter(
                points[mask, 0], points[mask, 1], s=size, color=colours[c],
                marker=markers[c], alpha=0.85, linewidths=0,
                label=names[c])
        ax.set_title(f'{stream} ({len(labels)} samples)', fontsize=11)
        ax.set_xticks([])
        ax.set_yticks([])
    legend_ax = fig.add_subplot(grid[0, num])
    legend_ax.axis('off')
    legend_ax.legend([handles[c] for c in classes],
                     [names[c] for c in classes], loc='center left',
                     ncol=columns, fontsize=8 if len(classes) > 20 else 9,
                     title='class', frameon=False, markerscale=1.5,
                     borderaxespad=0)
    if title:
        fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    return fig


def stack_features(per_sample: Sequence[Dict[str, np.ndarray]]
                   ) -> Dict[str, np.ndarray]:
    """``[{stream: (D,)}] * N`` -> ``{stream: (N, D)}``."""
    if not per_sample:
        return {}
    return {
        stream: np.stack([np.asarray(s[stream]) for s in per_sample])
        for stream in per_sample[0]
    }
