# newsframes: `make report` runs everything on RAW; `make test` runs the tests.
# Paths are make variables (the only place they are set); every target honours them:
#   make report RAW=~/corpus PROCESSED=/tmp/p REPORTS=/tmp/r CODEBOOK=my.yaml

RAW       ?= data/raw
PROCESSED ?= data/processed
REPORTS   ?= reports
CODEBOOK  ?= codebooks/deepseek.yaml
GOLD        ?= gold
GOLD_CORPUS ?= ../shared/corpora/deepseek-news
FRAME_METHOD  ?= lexicon
STANCE_METHOD ?= lexicon
PYTHON    ?= python3
WORKERS   ?=
NEAR_DUPLICATE ?=
ENGINE    ?= local
DASK_SCHEDULER ?=
TAG_WORKERS ?=

VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export RAW PROCESSED REPORTS CODEBOOK GOLD GOLD_CORPUS FRAME_METHOD STANCE_METHOD ENGINE DASK_SCHEDULER TAG_WORKERS
RUN    := $(BIN)/python -m analysis

.DEFAULT_GOAL := help
.PHONY: help report data tag validate sheets lab test browser bench clean

help: ## list the targets
	@echo "newsframes: make <target> [RAW=...] [PROCESSED=...] [REPORTS=...] [CODEBOOK=...]"
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -c 'from analysis import engine_frames; engine_frames.warm_up()'  # compile the frame engine's loops once (cached)
	@touch $@

report: data tag ## everything: ingest, tag, run the report notebooks, write $(REPORTS)/index.html
	$(RUN) report $(if $(WORKERS),--workers $(WORKERS))

data: $(STAMP) ## ingest $(RAW) into $(PROCESSED) (articles, paragraphs, ingest_report)
	$(RUN) data $(if $(NEAR_DUPLICATE),--near-duplicate $(NEAR_DUPLICATE))

tag: $(STAMP) data ## tag frames and stance with $(CODEBOOK); FRAME_METHOD=lexicon|supervised|hybrid STANCE_METHOD=lexicon|supervised ENGINE=local|dask DASK_SCHEDULER=host:port
	$(RUN) tag

validate: $(STAMP) ## score every tagger against the hand codings in $(GOLD): $(REPORTS)/validation.html
	$(RUN) validate

sheets: $(STAMP) tag ## export a stratified coding sheet of $(RAW) for coders: $(REPORTS)/coding_sheet.csv
	$(RUN) sheets

lab: $(STAMP) ## open JupyterLab on the explorer and the notebooks (they read RAW/PROCESSED/REPORTS/CODEBOOK)
	RAW=$(abspath $(RAW)) PROCESSED=$(abspath $(PROCESSED)) REPORTS=$(abspath $(REPORTS)) CODEBOOK=$(abspath $(CODEBOOK)) \
	  $(BIN)/jupyter lab --notebook-dir=notebooks notebooks/explorer.ipynb

test: $(STAMP) browser ## run the whole test suite
	$(BIN)/python -m pytest

browser: ## install Debian's chromium and chromedriver for the report browser test, where absent and root
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "chromium/chromedriver absent and cannot be installed here: the browser test will be skipped"; fi; }

bench: $(STAMP) ## time each stage on 10k/100k/1M resampled paragraphs and make report; writes bench/results.json and .png
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m analysis.bench --out bench/results.json

clean: ## remove build products ($(PROCESSED), $(REPORTS)); keeps .venv and $(RAW)
	rm -rf $(PROCESSED) $(REPORTS)
