# Toutes les cibles marchent sur un clone neuf avec seulement Python 3.11 : `make install`
# crée .venv/ et y installe cls et ses outils ; les autres cibles l'appellent au besoin.
# Installation éditable dans le mode par défaut de setuptools (le mode « compat » est
# déprécié) : son chercheur d'imports ajoute un module de 0,3 ms au démarrage, le reste de
# ce qu'il importe (pathlib…) l'est de toute façon par cls (python -X importtime) ; temps
# processeur de `cls --help`, 41 lancements alternés : 232 ms contre 233 ms en « compat ».
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CLS := $(BIN)/cls
DEMO := examples/demo/data
ANNEE ?= 2021

.PHONY: install test dist fuzz bench bench-import mutation validate lint typecheck report golden traductions navigateur clean

$(BIN)/.installe: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,parquet]'  # parquet : le test de cls export --format parquet tourne aussi
	$(BIN)/python -m compileall -q cls_cli  # bytecode prêt, même si PYTHONDONTWRITEBYTECODE
	touch $@

install: $(BIN)/.installe ## Crée .venv/ avec cls (mode éditable) et les outils de test

test: install navigateur ## Lance les tests, le linter et la vérification des types
	$(BIN)/ruff check cls_cli tests tools benchmarks
	$(BIN)/ruff format --check cls_cli tests benchmarks
	$(BIN)/mypy cls_cli benchmarks
	$(BIN)/pytest

report: install ## Installe cls et produit le rapport 2021 de l'exemple fictif (HTML et Markdown)
	@mkdir -p rapports
	$(CLS) report --year $(ANNEE) --data $(DEMO) -o rapports/rapport-$(ANNEE).html
	$(CLS) report --year $(ANNEE) --data $(DEMO) -o rapports/rapport-$(ANNEE).md
	@echo "Ouvrez rapports/rapport-$(ANNEE).html dans un navigateur (ou imprimez-le en PDF)."

fuzz: install ## Tests par propriétés longs (plus d'une demi-heure) : données au hasard
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_robustesse.py -p no:cacheprovider

bench: install ## Mesure la vitesse de cls et de ses voisins (une dizaine de minutes) -> benchmarks/RESULTS.md
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m benchmarks.bench

dist: install ## Construit le sdist et le wheel de cls dans dist/ (à installer avec pipx)
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	@ls dist

# make mutation MUTANTS='cls_cli.plan*' : seulement les mutants dont le nom correspond au
# motif (plusieurs motifs séparés par des espaces) ; sans MUTANTS, tous ceux pas encore jugés.
# ENFANTS : mutants lancés en parallèle (1 par défaut : la machine est partagée).
MUTANTS ?=
ENFANTS ?= 1
mutation: install ## Test par mutation (écriture, lecture des valeurs, calculs ; long, hors CI) : score dans mutants/
	$(BIN)/python -m pip install --quiet -e '.[dev,mutation]'
	$(BIN)/mutmut run --max-children $(ENFANTS) $(foreach m,$(MUTANTS),'$(m)')
	$(BIN)/mutmut results

bench-import: install ## Mesure seulement cls import (56 et 5 600 fiches), sans réécrire RESULTS.md
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m benchmarks.bench --import --rapide

golden: install ## Régénère les rapports de référence des tests (relisez le diff !)
	$(BIN)/python -m tests.golden

traductions: install ## Met à jour le catalogue anglais après un changement de gabarit
	$(BIN)/pybabel extract -F babel.cfg -o cls_cli/locale/cls.pot --no-location --omit-header .
	$(BIN)/pybabel update -i cls_cli/locale/cls.pot -d cls_cli/locale -D cls -l en --no-wrap

# Le test d'impression PDF du rapport HTML a besoin de Chromium (paquet Debian).
navigateur:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installation de Chromium (test d'impression PDF)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium est nécessaire aux tests : installez le paquet « chromium » (sudo apt-get install chromium)."; exit 1; \
	  fi; }

validate: install ## Vérifie les données livrées (data/)
	$(CLS) validate --data data

lint: install ## Vérifie le style du code (ruff)
	$(BIN)/ruff check cls_cli tests tools benchmarks
	$(BIN)/ruff format --check cls_cli tests benchmarks

typecheck: install
	$(BIN)/mypy cls_cli benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache rapports build dist cls_cli.egg-info
