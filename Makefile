# Two entry points for a newcomer: `make run` (set up + start the app), `make test` (set up + run all tests).
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test setup corpus bench clean install-check package package-test

# A new or stale venv is made from scratch with the interpreter's OWN pip (a newer pip normalises
# extra names and hid a missing runtime dependency, issue 10): first a plain `pip install .`, checked
# by ingesting one file of every format (tests/install_check), then the dev extra on top.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	bash tests/install_check/clean_install.sh $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
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

# The same check in a throw-away venv (setup runs it in .venv whenever the venv is made).
install-check:
	PYTHON=$(PYTHON) bash tests/install_check/clean_install.sh

test: $(STAMP) corpus
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
