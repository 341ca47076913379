# Build and test the course. Needs only python3 (with venv) and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NOTEBOOKS := $(shell find chapters -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort)

# TensorFlow's C++ start-up messages would otherwise end up in outputs and logs.
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0

.PHONY: help install book book-student notebooks lint format pytest nbval build-strict test bench clean

help:
	@echo "make book   - create $(VENV), install, execute the notebooks, build _build/html"
	@echo "make test   - lint, unit tests, nbval (strict) on every notebook, strict book build"
	@echo "make book-student - the same website with the exercise solutions hidden, in _build/student"
	@echo "make notebooks - re-execute every notebook in place (outputs are committed)"
	@echo "make lint   - ruff check and format check"
	@echo "make format - ruff format and fix"
	@echo "make bench  - benchmarks (the lambda x fold sweep against sequential Keras fits)"
	@echo "make clean  - remove _build and caches (keeps $(VENV))"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

book-student: $(STAMP)
	mkdir -p _build
	$(BIN)/python -c "import yaml; c = yaml.safe_load(open('_config.yml', encoding='utf-8')); \
	  sphinx = c.setdefault('sphinx', {}); \
	  sphinx.setdefault('local_extensions', {})['student_edition'] = '$(CURDIR)/_ext'; \
	  c['title'] += ' (student edition)'; \
	  yaml.safe_dump(c, open('_build/student-config.yml', 'w', encoding='utf-8'), allow_unicode=True)"
	$(BIN)/jupyter-book build . --config _build/student-config.yml --path-output _build/student \
	  -W -n --keep-going
	@echo "The student edition is at file://$(CURDIR)/_build/student/_build/html/index.html"

notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.record_timing=False $(NOTEBOOKS)

lint: $(STAMP)
	$(BIN)/ruff check lib tests chapters benchmarks _ext
	$(BIN)/ruff format --check lib tests chapters benchmarks _ext

format: $(STAMP)
	$(BIN)/ruff format lib tests chapters benchmarks
	$(BIN)/ruff check --fix lib tests chapters benchmarks

pytest: $(STAMP)
	$(BIN)/python -m pytest tests -q -n 2 --dist loadfile

nbval: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-cell-timeout=300 \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg -q $(NOTEBOOKS)

build-strict: book

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_sweep.py

test: lint pytest nbval build-strict

clean:
	rm -rf _build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
