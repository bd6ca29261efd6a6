# Set-up and entry points; see README.md.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.cmd_plugin-installed
DEMO_DIR ?= work_dirs/demo
DEMO_DATA ?= data/synthetic/synthetic.pkl

.PHONY: install test demo clean

install: $(STAMP)

# torch first: with no torch installed, pip would resolve `torch>=2.1` to a
# multi-GB CUDA build. mmcv-lite only when no mmcv is importable, so a GPU
# user's full mmcv 2.1 is kept.
$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install torch==2.13.0
	if $(PY) -c "import mmcv" 2>/dev/null; then extras=tests; else extras=tests,cpu; fi; \
	$(PY) -m pip install -e ".[$$extras]"
	touch $(STAMP)

# two workers: the end-to-end runs are single-threaded subprocesses
PYTEST_ARGS ?= -n 2
test: install
	$(PY) -m pytest -q $(PYTEST_ARGS)

demo: install
	PYTHON=$(PY) DEMO_DIR=$(DEMO_DIR) DEMO_DATA=$(DEMO_DATA) bash tools/demo.sh

clean:
	rm -rf $(VENV) work_dirs
