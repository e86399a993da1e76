#!/usr/bin/env bash
# Clean-install check (issue 10): a fresh venv with the interpreter's OWN pip (never upgraded: a newer
# pip normalises extra names and can hide a missing runtime dependency), `pip install .` without
# extras, then `fineflow ingest` of one sample of every supported format. Fails on any parser error.
# Uses the normal pip cache, so after the first run it only re-links cached wheels.
#   clean_install.sh            a throw-away venv (`make install-check`)
#   clean_install.sh VENV       a venv just made with `python -m venv` (`make setup` installs the dev
#                               extra into it afterwards, so the check costs no second install)
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3.12 || command -v python3)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
venv=${1:-$tmp/venv}
[ -x "$venv/bin/python" ] || "$PYTHON" -m venv "$venv"
echo "clean install: $("$venv/bin/python" -m pip --version | cut -d' ' -f1-2) on $("$venv/bin/python" -V)"
"$venv/bin/python" -m pip install -q --disable-pip-version-check . >"$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log"; exit 1; }
# pip 23.2.1 skips extras it cannot match by name ("lxml does not provide the extra 'html_clean'",
# jusText's, when trafilatura was a runtime dependency): print any such warning; the ingest below
# proves nothing needed was skipped.
grep -i "does not provide the extra" "$tmp/pip.log" || true
"$venv/bin/python" tests/install_check/make_samples.py "$tmp/samples"
"$venv/bin/fineflow" ingest --workspace "$tmp/ws" --json "$tmp/samples" >"$tmp/report.json" || true
"$venv/bin/python" - "$tmp/report.json" "$tmp/samples" <<'PY'
import json, sys
from pathlib import Path
report = json.loads(Path(sys.argv[1]).read_text())
formats = sorted(p.suffix for p in Path(sys.argv[2]).iterdir())
if report["errors"] or report["imported"] != len(formats):
    print("clean install: ingest failed:", json.dumps(report["errors"], indent=1), f"imported {report['imported']}/{len(formats)}")
    sys.exit(1)
print(f"clean install: ingested {report['imported']} files ({' '.join(formats)}), {report['chunks']} chunks")
PY
echo "clean install check took $(( $(date +%s) - start )) s"
