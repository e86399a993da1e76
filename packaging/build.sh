#!/usr/bin/env bash
# `make package`: build the onedir bundle, the tarball and the .deb from the pinned runtime
# dependencies only (a fresh build venv with `pip install '.[package]'`: runtime pins +
# PyInstaller pins, no dev/test packages), then print each artefact's size.
#   dist/fineflow-desktop-<version>-linux-x86_64.tar.gz   (top-level folder fineflow-desktop/)
#   dist/fineflow-desktop_<version>_amd64.deb             (dpkg-deb; /opt/fineflow-desktop)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3.12 || command -v python3)}
BUILD=$ROOT/build/package
VENV=$BUILD/venv
STAMP=$VENV/.stamp-$(cat pyproject.toml packaging/build.sh | sha256sum | cut -c1-16)
start=$(date +%s)

# The system libraries the Qt xcb plugin links to (packaging/linux-runtime-libs.txt) must be
# present for PyInstaller to resolve them and for dpkg-shlibdeps to compute Depends.
missing=$(for p in $(grep -o '^[^#]*' packaging/linux-runtime-libs.txt); do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || echo "$p"; done)
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y -qq $missing >/dev/null || { apt-get update -qq && apt-get install -y -qq $missing >/dev/null; }
    else
        echo "make package: install these packages first: $missing" >&2; exit 2
    fi
fi

if [ ! -f "$STAMP" ]; then
    # Pins changed (or first build): install them; a fresh clone starts from an empty venv.
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q '.[package]'
    rm -f "$VENV"/.stamp-*
    touch "$STAMP"
else
    # Same pins: only our own package changed; reinstall it without touching the dependencies.
    "$VENV/bin/python" -m pip install -q --no-deps --force-reinstall .
fi
VERSION=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("fineflow-desktop"))')

rm -rf "$BUILD/pyi-dist"
"$VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$BUILD/pyi-dist" --workpath "$BUILD/pyi-work" \
    packaging/fineflow.spec
BUNDLE=$BUILD/pyi-dist/fineflow-desktop
test -x "$BUNDLE/fineflow-desktop" && test -x "$BUNDLE/fineflow"
"$VENV/bin/python" packaging/strip_bundle.py "$BUNDLE"
# FAISS onto SciPy's OpenBLAS (its own copy goes) and Qt's ICU data without the trees Qt never
# reads; both stop the build if the wheels no longer look as expected. Before dedupe (it links files).
"$VENV/bin/python" packaging/share_blas.py "$BUNDLE"
"$VENV/bin/python" packaging/slim_icu.py "$BUNDLE"
"$VENV/bin/python" packaging/dedupe_bundle.py "$BUNDLE"

mkdir -p dist
TARBALL=dist/fineflow-desktop-$VERSION-linux-x86_64.tar.gz
tar -C "$BUILD/pyi-dist" --owner=0 --group=0 -czf "$TARBALL" fineflow-desktop

DEB=dist/fineflow-desktop_${VERSION}_amd64.deb
"$VENV/bin/python" packaging/make_deb.py --bundle "$BUNDLE" --version "$VERSION" --out "$DEB" --work "$BUILD/deb"

echo "bundle  $(du -sm "$BUNDLE" | cut -f1) MB on disk  ($BUNDLE)"
for f in "$TARBALL" "$DEB"; do
    echo "$(basename "$f")  $(( $(stat -c %s "$f") / 1024 / 1024 )) MB  ($(stat -c %s "$f") bytes)"
done
echo "$(( $(date +%s) - start ))" > "$BUILD/last-build-seconds"
echo "make package took $(cat "$BUILD/last-build-seconds") s"
