# The course's commands. `make lab` to teach or learn, `make test` to check everything.
# Both create .venv on first use (and again whenever pyproject.toml changes).

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
KERNEL := optimizer-course
# The set-up is keyed on the dependency list: a new pyproject.toml means a fresh .venv.
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-16)
# JupyterLab refuses to run as root unless told; ordinary users don't need the flag.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 600
export TF_CPP_MIN_LOG_LEVEL := 3
# The course's numerics (course_utils sets the same default): oneDNN off unless you ask for it.
export TF_ENABLE_ONEDNN_OPTS ?= 0

.PHONY: setup lab test lint unit nbval nbval-then-ui ui student lecture notebooks bench clean

setup: $(STAMP)

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "The course needs Python 3.11 or newer; $(PYTHON) is older."; exit 1; }
	@echo "Setting up $(VENV) with $(PYTHON) (first run, or pyproject.toml changed) ..."
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
	  --display-name "Optimizer course (Python 3.11)"
	touch $@

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG) $(ARGS)

lint: setup
	$(BIN)/ruff check course_utils tests notebooks

unit: setup
	$(BIN)/pytest tests --ignore=tests/ui

nbval: setup
	$(BIN)/pytest notebooks $(NBVAL)

# The browser tests need a Chromium (Debian's `chromium`, or $$CHROMIUM); say so when missing.
ui: setup
	@if command -v chromium >/dev/null || [ -n "$$CHROMIUM" ]; then \
	  $(BIN)/pytest tests/ui -rs; \
	else \
	  echo "SKIPPED the browser tests (tests/ui): no Chromium found;" \
	    "install Debian's chromium or set CHROMIUM=/path/to/chromium."; \
	fi

# Two jobs side by side, one a core: the unit tests, which run the student edition under the
# other numerics (the portability check), and nbval (the course's numerics) then the browser
# tests. The portability run's kernels talk over IPC, so no two kernels starting at once can
# race for a TCP port.
# One TensorFlow thread a process: two jobs share 2 cores, and idle pool threads that spin cost
# the other job time (measured: 18% faster). The arithmetic is the same (nbval compares it).
test: export TF_NUM_INTRAOP_THREADS := 1
test: export TF_NUM_INTEROP_THREADS := 1
test: lint
	@$(MAKE) --no-print-directory -j2 --output-sync=target unit nbval-then-ui

nbval-then-ui: nbval
	@$(MAKE) --no-print-directory ui

# The student edition (solutions removed) and the lecture edition (solutions collapsed).
student: setup
	$(BIN)/python -m course_utils.release student

lecture: setup
	$(BIN)/python -m course_utils.release lecture

# Re-execute every notebook top to bottom in a fresh kernel and store the outputs.
notebooks: setup
	$(BIN)/python -m course_utils.execute notebooks/*.ipynb

clean:
	rm -rf $(VENV) release build

# Time the ways to train (eager, compiled, Keras fit, NumPy) and every notebook under nbval.
bench: setup
	$(BIN)/python -m course_utils.bench
