# Toutes les cibles marchent sur un clone neuf avec seulement Python 3.11 : `make install`
# crée .venv/ et y installe cls et ses outils ; les autres cibles l'appellent au besoin.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CLS := $(BIN)/cls
DEMO := examples/demo/data
ANNEE ?= 2021

.PHONY: install test validate lint typecheck report clean

$(BIN)/.installe: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installe ## Crée .venv/ avec cls (mode éditable) et les outils de test

test: install ## Lance les tests, le linter et la vérification des types
	$(BIN)/ruff check cls_cli tests tools
	$(BIN)/ruff format --check cls_cli tests
	$(BIN)/mypy cls_cli
	$(BIN)/pytest

validate: install ## Vérifie les données livrées (data/)
	$(CLS) validate --data data

lint: install ## Vérifie le style du code (ruff)
	$(BIN)/ruff check cls_cli tests tools
	$(BIN)/ruff format --check cls_cli tests

typecheck: install
	$(BIN)/mypy cls_cli

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache rapports
