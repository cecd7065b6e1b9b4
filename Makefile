# The two commands of the README: `make site` and `make test`. Each creates
# .venv when it is missing and installs what it needs, so a fresh clone needs
# nothing but Python 3.10+ and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Wheels for tests/test_lock.py, made by the rule at the end.
WHEELHOUSE := .cache/wheelhouse
# Material prints a banner about MkDocs 2.0 on every build; qualsite pins
# MkDocs below 2 (see the README), so it only hides qualsite's own messages.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check lint bench schemas wheel clean messages

site: $(VENV)/.installed
	$(BIN)/qualsite build --strict

test: $(VENV)/.installed-test $(WHEELHOUSE)/.complete
	$(BIN)/python -m pytest --numprocesses auto

# A live preview at http://127.0.0.1:$(PORT)/; another port: make serve PORT=8001
PORT ?= 8000
serve: $(VENV)/.installed
	$(BIN)/qualsite serve --dev-addr 127.0.0.1:$(PORT)

check: $(VENV)/.installed
	$(BIN)/qualsite check

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check plugins tests benchmarks
	$(BIN)/ruff format --check plugins tests benchmarks
	$(BIN)/mypy

# Build synthetic studies of 1,000, 10,000 and 50,000 excerpts with qualsite
# and with plain MkDocs, and print the figures (benchmarks/README.md). The
# test extras bring Playwright, which times the search in Chromium.
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_serve.py
	$(BIN)/python benchmarks/bench_build.py

# Rewrite the committed JSON Schemas after a change to the file format.
schemas: $(VENV)/.installed
	$(BIN)/qualsite schemas --out plugins/qualsite/schemas

wheel: $(VENV)/.installed
	$(BIN)/python -m pip wheel --no-deps --quiet --wheel-dir dist .

clean:
	rm -rf site dist .cache .pytest_cache

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	touch $@ $(VENV)/.installed

# tests/test_lock.py installs a new study's requirements.lock into a fresh
# virtual environment with no network, from these wheels: what qualsite
# needs, at the versions installed in .venv, and the build backend of
# pyproject.toml's [build-system], which makes qualsite's own wheel there.
# Made again only when .venv is; .complete marks a wheelhouse fully made.
$(WHEELHOUSE)/.complete: $(VENV)/.installed-test
	rm -rf $(WHEELHOUSE)
	mkdir -p $(WHEELHOUSE)
	$(BIN)/python -c 'from qualsite.lock import pinned_versions as p; print(*(f"{n}=={v}" for n, v in p().items() if n != "qualsite"), sep="\n")' > $(WHEELHOUSE)/requirements.txt
	$(BIN)/python -m pip wheel --quiet --wheel-dir $(WHEELHOUSE) --requirement $(WHEELHOUSE)/requirements.txt
	$(BIN)/python -m pip wheel --quiet --wheel-dir $(WHEELHOUSE) '$(shell grep -o -m1 'hatchling[^"]*' pyproject.toml)'
	touch $@

# Bring the message catalogues up to the code and templates after a change
# to a published text: writes plugins/qualsite/i18n/locale/qualsite.pot and
# adds each new message, untranslated, to every shipped language's .po
# (tests/test_i18n.py fails until each is translated).
messages: $(VENV)/.installed
	$(BIN)/python -m qualsite.i18n.extract
