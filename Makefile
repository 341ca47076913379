# Build and test the course. Needs only python3 (with venv) and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# MathJax is served by the built site itself, so that math is typeset without a network.
MATHJAX_VERSION := 3.2.2
MATHJAX := _vendor/mathjax/tex-mml-chtml.js
NOTEBOOKS := $(shell find chapters -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort)

# TensorFlow's C++ start-up messages would otherwise end up in outputs and logs.
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0

# apt-get needs root: use sudo when not root (CI runs as root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT  := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: help install lock mathjax browser linkcheck test-site book book-student book-zh translations notebooks lint format pytest nbval build-strict test bench profile clean

help:
	@echo "make book   - create $(VENV), install, execute the notebooks, build _build/html"
	@echo "make test   - lint, unit tests, nbval (strict) on every notebook, strict book build,"
	@echo "              and the browser test of every page (test-site)"
	@echo "make test-site - build the book, then check every page in headless Chromium"
	@echo "make linkcheck - check the external links of the book (needs the internet)"
	@echo "make book-student - the same website with the exercise solutions hidden, in _build/student"
	@echo "make book-zh - the Chinese edition (locales/zh_CN), in _build/zh"
	@echo "make translations - update the catalogs of locales/ after an English change"
	@echo "make lock   - regenerate $(LOCK) after changing dependencies (UPGRADE=1: newest releases)"
	@echo "make notebooks - re-execute every notebook in place (outputs are committed)"
	@echo "make lint   - ruff check and format check"
	@echo "make format - ruff format and fix"
	@echo "make bench  - benchmarks: the lambda x fold sweep against scikit-learn, Keras and matmul"
	@echo "make profile - where the time of a sweep goes (XLA operations per training step)"
	@echo "make clean  - remove _build and caches (keeps $(VENV))"

# Every package is installed at the exact version, with the hashes, recorded in the lock: the
# committed notebook outputs belong to that set. LOCKED=0 installs the newest releases that
# pyproject.toml allows instead (the weekly CI job that looks for drift). `uv` installs; its own
# version and hashes are the ones in the lock.
LOCK       := requirements-lock.txt
LOCKED     ?= 1
STAMP      := $(VENV)/.installed-$(if $(filter 1,$(LOCKED)),lock,newest)
UV         := $(BIN)/uv
UV_PIP     := $(UV) pip --quiet
UV_TARGET  := --python $(BIN)/python

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	awk '/^uv==/ {p = 1; print; next} p && /^    --hash/ {print; next} {p = 0}' $(LOCK) \
	  > $(VENV)/uv-lock.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(VENV)/uv-lock.txt
	rm -f $(VENV)/.installed-*
ifeq ($(LOCKED),1)
	$(UV_PIP) sync $(UV_TARGET) --require-hashes $(LOCK)
	$(UV_PIP) install $(UV_TARGET) --no-deps -e .
else
	$(UV_PIP) install $(UV_TARGET) --upgrade -e ".[book,dev,torch]"
	$(UV_PIP) uninstall $(UV_TARGET) triton
endif
	touch $(STAMP)

ifneq ($(LOCKED),1)
# tests/project/test_install.py then skips its check that the environment is the lock.
export REGKIT_UNLOCKED := 1
endif

# Regenerate the lock after changing the dependencies in pyproject.toml: pins that still satisfy
# them are kept; UPGRADE=1 moves every package to its newest release. Then run `make notebooks`
# and review the diff of the outputs before committing both. Triton, PyTorch's compiler of GPU
# kernels, is left out: its LLVM and TensorFlow's cannot be loaded into one process ("LLVM
# ERROR: inconsistency in registered CommandLine options"), and torch.optim imports it when it is
# installed. PyTorch runs without it, on the CPU and on a GPU, only without torch.compile.
lock: $(STAMP)
	$(UV) pip compile pyproject.toml --quiet --universal --fork-strategy fewest \
	  --python-version 3.11 --extra book --extra dev --extra torch --no-emit-package triton --generate-hashes \
	  $(if $(filter 1,$(UPGRADE)),--upgrade) -o $(LOCK)

install: $(STAMP)

# The es5 tree of the npm package `mathjax` (Apache-2.0), with its licence, into _vendor/mathjax.
$(MATHJAX):
	@command -v npm >/dev/null || { echo "make mathjax needs npm (Node.js)"; exit 1; }
	rm -rf _vendor/tmp && mkdir -p _vendor/tmp
	cd _vendor/tmp && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null
	tar -xzf _vendor/tmp/mathjax-$(MATHJAX_VERSION).tgz -C _vendor/tmp
	rm -rf _vendor/mathjax && mv _vendor/tmp/package/es5 _vendor/mathjax
	cp _vendor/tmp/package/LICENSE _vendor/mathjax/LICENSE
	rm -rf _vendor/tmp

mathjax: $(MATHJAX)

# The browser test drives the system's Chromium (or $$CHROMIUM); where none is found, Debian's
# package is installed, with a CJK font for the Chinese edition (the test requires one).
browser:
	@have_browser() { [ -n "$$CHROMIUM" ] || command -v chromium >/dev/null; }; \
	have_cjk_font() { fc-list :lang=zh 2>/dev/null | grep -q .; }; \
	if have_browser && have_cjk_font; then exit 0; fi; \
	if command -v apt-get >/dev/null; then \
	  $(APT) update -qq && \
	  $(APT) install -y -qq --no-install-recommends chromium fonts-wqy-microhei; \
	elif ! have_browser; then \
	  echo "Install Chromium, or set CHROMIUM=/path/to/chromium"; exit 1; \
	else \
	  echo "No CJK font: install one (Debian: fonts-wqy-microhei) for the Chinese edition"; exit 1; \
	fi

book: $(STAMP) $(MATHJAX)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

book-student: $(STAMP) $(MATHJAX)
	$(BIN)/python _ext/derive_config.py _build/student-config.yml --student
	$(BIN)/jupyter-book build . --config _build/student-config.yml --path-output _build/student \
	  -W -n --keep-going
	@echo "The student edition is at file://$(CURDIR)/_build/student/_build/html/index.html"

# The Chinese edition, from the same notebooks and committed outputs, with the translations of
# locales/zh_CN (gettext catalogs, one per page). After an English change, `make translations`
# updates the catalogs: new and changed messages come back empty or fuzzy, and the test suite
# fails until they are translated (CONTRIBUTING.md).
translations: $(STAMP)
	$(BIN)/python _ext/derive_config.py _build/gettext-config.yml --execute off --language zh_CN
	rm -rf _build/gettext
	$(BIN)/jupyter-book build . --config _build/gettext-config.yml --path-output _build/gettext \
	  --builder custom --custom-builder gettext
	$(BIN)/sphinx-intl update -p _build/gettext/_build/gettext -l zh_CN -d locales -w 0

# The site serves the Chinese edition under zh/: it is also copied to _build/html/zh, next to
# the English one, which is what the browser test checks and the Pages workflow publishes.
book-zh: $(STAMP) $(MATHJAX)
	$(BIN)/python _ext/derive_config.py _build/zh-config.yml --execute off --language zh_CN
	$(BIN)/jupyter-book build . --config _build/zh-config.yml --path-output _build/zh \
	  -W -n --keep-going
	rm -rf _build/html/zh && mkdir -p _build/html && cp -r _build/zh/_build/html _build/html/zh
	@echo "The Chinese edition is at file://$(CURDIR)/_build/html/zh/index.html"

notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.record_timing=False $(NOTEBOOKS)

lint: $(STAMP)
	$(BIN)/ruff check lib tests chapters benchmarks _ext .ci
	$(BIN)/ruff format --check lib tests chapters benchmarks _ext .ci

format: $(STAMP)
	$(BIN)/ruff format lib tests chapters benchmarks _ext .ci
	$(BIN)/ruff check --fix lib tests chapters benchmarks _ext .ci

pytest: $(STAMP)
	$(BIN)/python -m pytest tests -q -n 2 --dist loadfile

nbval: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=300 \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg -q \
	  $(if $(NBVAL_REPORT),--junitxml=$(NBVAL_REPORT)) $(NOTEBOOKS)

# The strict build of `make test` renders the committed outputs, which nbval has compared with
# a fresh run just before, instead of executing every notebook a second time; `make book`
# executes them.
build-strict: $(STAMP) $(MATHJAX)
	$(BIN)/python _ext/derive_config.py _build/test-config.yml --execute off
	$(BIN)/jupyter-book build . --config _build/test-config.yml -W -n --keep-going

# Serves _build/html on 127.0.0.1 and checks every page of _toc.yml in headless Chromium; the
# screenshots go to _build/screenshots/.
test-site: build-strict book-zh browser
	$(BIN)/python -m pytest tests/site -q -n 2 --dist loadfile

linkcheck: $(STAMP) $(MATHJAX)
	$(BIN)/jupyter-book build . --builder linkcheck

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_sweep.py

profile: $(STAMP)
	$(BIN)/python benchmarks/profile_sweep.py mnist-sized
	$(BIN)/python benchmarks/profile_sweep.py course

test: lint pytest nbval build-strict book-zh test-site

clean:
	rm -rf _build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
