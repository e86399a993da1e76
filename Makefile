# Two entry points for a newcomer: `make run` (set up + start the app), `make test` (set up + run all tests).
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test setup corpus bench clean install-check package package-test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# A fresh machine: the Qt window needs system libraries (packaging/linux-runtime-libs.txt);
# installed here when root with apt, else we stop with the exact apt-get command.
run: $(STAMP)
	@packaging/qt_runtime_check.sh "$$($(BIN)/python -c 'from fineflow_desktop.platform_check import xcb_plugin_path as p; print(p() or "")')"
	$(BIN)/fineflow-desktop

# Real-document tests use Debian's python3.11-doc corpus; install it when we can (root + apt).
corpus:
	@if [ ! -d /usr/share/doc/python3.11/html/_sources ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && apt-get install -y -qq python3.11-doc) >/dev/null 2>&1 || echo "note: python3.11-doc not installed; corpus tests will skip"; \
	fi

# A clean venv with the interpreter's own pip + `pip install .` must ingest every format (issue 10).
install-check:
	PYTHON=$(PYTHON) bash tests/install_check/clean_install.sh

test: $(STAMP) corpus install-check
	$(BIN)/lint-imports --no-logo
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 -q

bench: $(STAMP) corpus
	for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Installers (packaging/README.md): onedir bundle, tarball and .deb from the pinned runtime
# dependencies in a build venv of their own (build/package/venv), sizes printed.
package:
	packaging/build.sh

# Runs the frozen files: GUI smoke test offscreen, CLI with the network cut on real documents,
# the .deb's control data, contents, lintian and an install into a scratch root.
package-test:
	packaging/test_package.sh

clean:
	rm -rf $(VENV) build dist src/*.egg-info
