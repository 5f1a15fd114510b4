# The course's commands. `make lab` to teach or learn, `make test` to check everything.
# Both create .venv on first use (and again whenever pyproject.toml or the Python changes).

SHELL := /bin/bash
# TensorFlow 2.21 has wheels for these Pythons only (pyproject.toml's requires-python agrees).
SUPPORTED_PYTHONS := 3.13 3.12 3.11
# The newest supported Python that runs (a pyenv shim for a version not selected does not),
# unless you name one: `make lab PYTHON=/path/to/python3.12`.
ifndef PYTHON
PYTHON := $(shell for v in $(SUPPORTED_PYTHONS); do \
  python$$v -c 'import sys; print(sys.executable)' 2>/dev/null && break; done)
endif
VENV := .venv
BIN := $(VENV)/bin
# The set-up is keyed on the dependency list and the Python: either changing means a fresh .venv.
STAMP := $(VENV)/.installed-$(shell (cat pyproject.toml; echo "$(PYTHON)") | sha256sum | cut -c1-16)
NBVAL := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 600
export TF_CPP_MIN_LOG_LEVEL := 3
# The course's numerics (course_utils sets the same default): oneDNN off unless you ask for it.
export TF_ENABLE_ONEDNN_OPTS ?= 0

.PHONY: setup lab test lint unit nbval nbval-then-ui ui student lecture slides site grade notebooks \
  bench platforms clean

setup: $(STAMP)

$(STAMP):
	@if [ "$$(uname -s)/$$(uname -m)" = Darwin/x86_64 ]; then \
	  echo "TensorFlow 2.21 has no wheels for Intel Macs: open the course on Binder or a" \
	    "JupyterHub instead (README, 'Intel Macs')."; exit 1; fi
	@$(if $(PYTHON),,echo "No Python $(SUPPORTED_PYTHONS) found: install one of them" \
	  "(TensorFlow 2.21 supports no other), or name it: make $(or $(MAKECMDGOALS),setup)" \
	  "PYTHON=/path/to/python3.12"; exit 1)
	@$(PYTHON) -c 'import sys; v = "%d.%d" % sys.version_info[:2]; \
	  sys.exit(v not in "$(SUPPORTED_PYTHONS)".split() and \
	  f"{sys.executable} is Python {v}; the course needs $(SUPPORTED_PYTHONS).")'
	@echo "Setting up $(VENV) with $(PYTHON) (first run, or pyproject.toml or Python changed) ..."
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m course_utils.lab --settings-only
	touch $@

# JupyterLab on notebooks/ (with --allow-root only when you are root); ARGS go to JupyterLab.
lab: setup
	$(BIN)/python -m course_utils.lab $(ARGS)

lint: setup
	$(BIN)/ruff check course_utils tests notebooks .ci

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

# reveal.js slides per notebook (release/slides/) and a static website (release/site/), from
# the committed notebooks; both load nothing from outside and open from a USB stick.
slides: setup
	$(BIN)/python -m course_utils.publish slides

site: setup
	$(BIN)/python -m course_utils.publish site

# Grade a class: SUBMISSIONS=DIR holds one folder per student; writes DIR/grades.csv and
# DIR/feedback/. Student code runs with your rights: see the README before you run it.
grade: setup
	@[ -n "$(SUBMISSIONS)" ] || { echo "Say which folder: make grade SUBMISSIONS=DIR"; exit 1; }
	$(BIN)/python -m course_utils.grade "$(SUBMISSIONS)" $(ARGS)

# Re-execute every notebook top to bottom in a fresh kernel and store the outputs.
notebooks: setup
	$(BIN)/python -m course_utils.execute notebooks/*.ipynb

# Needs the package index: do the pins resolve on every supported platform and Python?
platforms: setup
	$(BIN)/python .ci/platforms.py

clean:
	rm -rf $(VENV) release build

# Time the ways to train (eager, compiled, Keras fit, NumPy) and every notebook under nbval.
bench: setup
	$(BIN)/python -m course_utils.bench
