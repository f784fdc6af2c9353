# Untangle: `make run` sets up and starts the assistant with its demo page; `make test` sets up and runs all checks.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV        := .venv
BIN         := $(VENV)/bin
RASA        := $(BIN)/rasa
# Rasa's CLI as `make run` serves it (TensorFlow-free, untangle_server/rasa_patches; UNTANGLE_STOCK_RASA=1: stock Rasa).
SERVED_RASA := $(BIN)/python -m untangle_server.serve
SPACY_DIR   := build/spacy-en-untangle
MODEL       := models/untangle.tar.gz
STAMPS      := build/stamps
RASA_PORT   ?= 5005
ACTIONS_PORT ?= 5055
WEB_PORT    ?= 8080
# Quiet TensorFlow's start-up banner (Rasa imports it even when the pipeline does not use it).
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONDONTWRITEBYTECODE := 1
# Rasa reports usage (commands run, servers started) to Rasa's servers unless told not to; a privacy tool keeps it
# off for every recipe here. An organisation that wants to share it: make run RASA_TELEMETRY_ENABLED=true.
export RASA_TELEMETRY_ENABLED ?= false

# actions/guide/topic_titles.yml: RepeatPolicy keeps its topic intents in the model (untangle_core/repeat_policy.py)
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) actions/guide/topic_titles.yml \
                   $(STAMPS)/spacy $(STAMPS)/encoder

.PHONY: help system-packages setup venv spacy encoder web-deps train run test lint format validate pytest stories nlu-test safety-eval overlap clean

help:
	@echo "make run    set up, train if needed, start the assistant and its demo page"
	@echo "make test   set up, train if needed, run every check"

setup: venv spacy encoder web-deps

venv: $(STAMPS)/venv
$(STAMPS)/venv: requirements.txt requirements-dev.txt constraints.txt scripts/find_python.sh
	@python_bin=$$(scripts/find_python.sh) && \
	  { [ -x $(BIN)/python ] && $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] > (3, 10))' \
	    || { echo "Creating $(VENV) with $$python_bin"; rm -rf $(VENV); "$$python_bin" -m venv $(VENV); }; }
	$(BIN)/pip install --quiet --upgrade pip wheel
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	@mkdir -p $(STAMPS) && touch $@

# axe-core for the browser tests (the widget itself has no npm dependencies).
web-deps: $(STAMPS)/web
$(STAMPS)/web: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

# The spaCy pipeline is built from code; SPACY_MODEL (an installed pipeline) is recorded so changing it rebuilds.
spacy: $(STAMPS)/spacy
$(STAMPS)/spacy: $(STAMPS)/venv untangle_nlu/spacy_pipeline.py untangle_nlu/spacy_norms.yml $(STAMPS)/spacy-model-name
	$(BIN)/python -m untangle_nlu.spacy_pipeline $(SPACY_DIR)
	@touch $@
$(STAMPS)/spacy-model-name: FORCE
	@mkdir -p $(STAMPS) && echo "$${SPACY_MODEL:-blank}" | cmp -s - $@ || echo "$${SPACY_MODEL:-blank}" > $@

# Rasa keeps its own cache too; this rule only skips `rasa train` when no input changed.
train: $(MODEL)
$(MODEL): $(TRAINING_INPUTS) | $(STAMPS)/venv
	$(RASA) train --fixed-model-name untangle --out models

run: setup $(MODEL)
	@scripts/run.sh $(RASA_PORT) $(ACTIONS_PORT) $(WEB_PORT)

# Ruff, configured in pyproject.toml (pre-commit runs the same): lint and formatting are checked, never changed.
lint: $(STAMPS)/venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Rewrites the code the way `make lint` wants it: the formatter, then the linter's safe fixes (import order, ...).
format: $(STAMPS)/venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

validate: setup
	$(RASA) data validate --fail-on-warnings

# All pytest tests, with one real assistant (the Rasa server, its actions inside it) up for the end-to-end and browser tests.
pytest: setup $(MODEL)
	$(BIN)/python -m tests.e2e.servers $(BIN)/python -m pytest -q

# The test stories and the NLU test run through the engine `make run` serves (UNTANGLE_STOCK_RASA=1: stock Rasa).
stories: $(MODEL)
	$(SERVED_RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/core

nlu-test: $(MODEL)
	$(SERVED_RASA) test nlu --model $(MODEL) --nlu tests/nlu/test_nlu.yml --out results/nlu
	$(BIN)/python -m tools.check_nlu_report results/nlu/intent_report.json --min-macro-f1 0.90
	@# the realistic set, written blind to the training data: a floor under today's figure, against regressions
	$(SERVED_RASA) test nlu --model $(MODEL) --nlu tests/nlu/test_realistic.yml --out results/nlu-realistic
	$(BIN)/python -m tools.check_nlu_report results/nlu-realistic/intent_report.json --min-macro-f1 0.85

# The assistant as `make run` serves it, on our labelled sets (floors) and on the realistic dev set when it is there.
safety-eval: $(MODEL)
	$(BIN)/python -m tools.safety_eval tests/safety/labelled.jsonl --model $(MODEL) --min-recall 0.98 \
	  --max-false-referral 0.08 --max-any-level 0.25

overlap:
	python3 ../shared/tools/source_overlap.py

test: system-packages setup lint validate $(MODEL) stories nlu-test safety-eval pytest load-test bench-smoke

# First, so a fresh machine fails in seconds, not after training: as root the missing Debian packages (Chromium,
# npm, redis-server, nginx, ...) are installed; otherwise it names the one command to run.
system-packages:
	@scripts/install_system_packages.sh

# Benchmarks, deployment and load checks, one file per concern.
include $(wildcard mk/*.mk)

clean:
	rm -rf build results models/*.tar.gz .rasa

FORCE:
