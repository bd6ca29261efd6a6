"""Code of the documented analysis and export commands, never imported by
a training run: per-stream features and their t-SNE maps, score fusion of
``tools/test.py --dump`` files, FLOP counts, and the backbone export.

The commands live in ``tools/``; reading what a run logged (torch-free) is
``tools/analysis_tools/runs.py``.
"""
