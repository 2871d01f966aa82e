# Two entry points for a fresh machine: `make demo` (grade the example class) and `make test`.
# Both create .venv and install the project into it (editable, with test extras) on first use.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: demo test clean

$(VENV)/.installed: pyproject.toml
	# bubblewrap isolates each sandboxed submission (namespaces); without it grading runs with reduced isolation
	command -v bwrap > /dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null && \
		apt-get update -qq && apt-get install -y -qq bubblewrap > /dev/null; } || \
		echo "note: install bubblewrap (bwrap) for full isolation of student code"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# nbgrader's kernel: a python3 kernelspec that names this venv's interpreter, not whatever `python` is on PATH
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $@

demo: $(VENV)/.installed
	$(BIN)/backprop-lab grade examples/class --out runs/example-class

test: $(VENV)/.installed
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info
