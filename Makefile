# qyanalysis — `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?=
PYTEST_ARGS ?=
# pytest-xdist workers for `make test` / `make test-fast` (the CI rule: the whole suite within 15 min on 2 cores);
# each test module stays on one worker, the sparse-data matrix is shared out test by test (tests/conftest.py).
TEST_WORKERS ?= 2
PYTEST_XDIST = -n $(TEST_WORKERS) --dist loadfile

.DEFAULT_GOAL := help

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The package and its extras are installed by uv (itself fetched into .venv by pip): seconds, where pip
# takes about 95 s. uv does not compile bytecode; compiling just what a report run imports
# (qyanalysis.runner.precompile, bytecode writing on as pip's install has it) takes ~10 s, against ~25 s
# for every installed package. Where uv cannot be fetched or fails, pip installs everything;
# `make install INSTALLER=pip` always uses pip.
INSTALLER ?= uv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	if [ "$(INSTALLER)" = uv ] && $(BIN)/python -m pip install --quiet uv \
	    && $(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[dask,test]"; then :; \
	else $(BIN)/python -m pip install --quiet --upgrade pip \
	    && $(BIN)/python -m pip install --quiet -e ".[dask,test]"; fi
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m qyanalysis.runner.precompile
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# The test suite starts many processes (workers, kernels, command-line runs): every installed module is
# compiled for it, once (compileall on both cores), but the installed packages' own test suites
# (folders named test or tests, which nothing here imports): 11.8 s instead of 17.1 s (2026-12-08).
COMPILED := $(VENV)/.compiled

$(COMPILED): $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q -j 0 -x '/tests?/' $$($(BIN)/python -c "import sysconfig; print(sysconfig.get_path('purelib'))") >/dev/null
	touch $(COMPILED)

install: $(STAMP) ## Create .venv (if missing) and install the package with its test extras

reports: $(STAMP) ## Render every county's reports from the bundled demo data into reports/
	$(BIN)/qyanalysis run --out reports $(if $(JOBS),--jobs $(JOBS))

test: $(COMPILED) ## Run the whole test suite (slow end-to-end tests included)
	$(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

test-fast: $(COMPILED) ## Run the tests without the slow end-to-end ones
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_XDIST) $(PYTEST_ARGS)

docs: $(STAMP) ## Regenerate docs/methods.md, docs/methods-developers.md and docs/data-dictionary.md
	$(BIN)/python -m qyanalysis.report.methods
	$(BIN)/python -c "from qyanalysis.io.dictionary import data_dictionary_markdown as md; \
	open('docs/data-dictionary.md', 'w', encoding='utf-8').write(md())"

demo-data: $(STAMP) ## Regenerate the bundled demonstration dataset in data/demo
	$(BIN)/qyanalysis demo-data data/demo

template: $(STAMP) ## Write the Excel input template to qyanalysis-template.xlsx
	$(BIN)/qyanalysis template qyanalysis-template.xlsx

lab: $(STAMP) ## Open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/

sync-notebooks: $(STAMP) ## Re-pair notebooks/*.ipynb with their percent-format .py files
	$(BIN)/jupytext --sync notebooks/*.py

benchmark: $(STAMP) ## Run the benchmarks (scorecard scale, gap-closing scale, readiness scale, batch runner, national region)
	$(BIN)/python benchmarks/scorecard_scale.py
	$(BIN)/python benchmarks/gaps_scale.py
	$(BIN)/python benchmarks/readiness_scale.py
	$(BIN)/python benchmarks/batch.py
	$(BIN)/python benchmarks/national_region.py

clean: ## Remove generated reports and caches (keeps .venv)
	rm -rf reports/20* .pytest_cache .hypothesis

.PHONY: help install reports test test-fast docs demo-data template lab sync-notebooks benchmark clean
