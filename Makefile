# Sourcewise: two commands set everything up on a fresh machine.
#   make run   - install, build the index from the sample corpus, start the API and the chat UI
#   make test  - install, run the whole test suite and the evaluation
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
PORT ?= 8000
UI_PORT ?= 8501

.PHONY: install index api ui run test eval bench browser-deps clean slack-bot slack-bot-socket

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch is pinned to the CPU wheel on the machine's disk; every other pin is in requirements.lock.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -c requirements.lock -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/sourcewise ingest --corpus corpus/sample

api: install
	$(BIN)/sourcewise serve --port $(PORT) --build-index

ui: install
	$(BIN)/streamlit run ui/streamlit_app.py --server.port $(UI_PORT) --server.headless true \
	  --server.address $${SOURCEWISE_UI_HOST:-127.0.0.1} --browser.gatherUsageStats false

# The Slack bot (needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; see the README).
slack-bot: install
	$(BIN)/python -m ui.slack_bot --http --host $${SLACK_HOST:-127.0.0.1} --port $${SLACK_PORT:-3000}

slack-bot-socket: install
	$(BIN)/python -m ui.slack_bot --socket

run: index
	$(BIN)/sourcewise run --port $(PORT) --ui-port $(UI_PORT)

# Headless Chromium for the browser test comes from Debian, never from a browser download.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: run 'sudo apt-get install -y chromium'"; fi; }

# The suite, then both evaluation sets (the sample's and the committed real articles', each asked
# within its corpus of the same index, built or refreshed first), which fail below the thresholds
# justified in the README.
test: install browser-deps
	$(BIN)/python -m pytest -q
	$(BIN)/sourcewise ingest --corpus corpus/sample --quiet
	$(BIN)/sourcewise ingest --corpus corpus/real --quiet
	$(BIN)/sourcewise eval --check
	$(BIN)/sourcewise eval --set real --check

eval: install
	$(BIN)/sourcewise eval

bench: install
	$(BIN)/sourcewise bench

clean:
	rm -rf .sourcewise reports
