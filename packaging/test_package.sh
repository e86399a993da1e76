#!/usr/bin/env bash
# `make package-test`: check the frozen files that `make package` left in dist/.
#  1. the tarball extracted to a scratch folder: `fineflow-desktop --smoke-test` offscreen;
#  2. the frozen CLI with the network cut (unshare -n) on real documents — HTML from
#     /usr/share/doc (DocBook, AsciiDoc, texinfo), real PDFs, real DOCX from shared/data/real —
#     ingest, generate (extractive), export, `fineflow validate --file`;
#  3. the .deb: dpkg-deb --info/--contents, lintian (findings printed, not fatal), then installed
#     with apt into a clean Debian chroot (debootstrap minbase, cached in /var/cache/fineflow-desktop)
#     where `fineflow --version`, a CLI run and the GUI smoke test must pass.
# Set FINEFLOW_SKIP_CHROOT=1 to skip step 3's install (no debootstrap / no root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARBALL=$(ls -t dist/fineflow-desktop-*-linux-x86_64.tar.gz 2>/dev/null | head -1)
DEB=$(ls -t dist/fineflow-desktop_*_amd64.deb 2>/dev/null | head -1)
[ -n "$TARBALL" ] && [ -n "$DEB" ] || { echo "package-test: run 'make package' first" >&2; exit 2; }
WORK=$(mktemp -d /tmp/fineflow-package-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
step() { echo; echo "== $*"; }

step "tarball: extract and run the GUI smoke test offscreen"
tar -C "$WORK" -xzf "$TARBALL"
APP=$WORK/fineflow-desktop
test -x "$APP/fineflow-desktop" && test -x "$APP/fineflow"
"$APP/fineflow" --version
QT_QPA_PLATFORM=offscreen HOME=$WORK/home "$APP/fineflow-desktop" --smoke-test

step "frozen CLI, network cut, on real documents"
DOCS=$WORK/docs
mkdir -p "$DOCS" "$WORK/home"
cp /usr/share/doc/maint-guide/html/first.en.html /usr/share/doc/maint-guide/html/build.en.html "$DOCS/"   # DocBook
cp /usr/share/doc/git-doc/MyFirstContribution.html "$DOCS/"                                               # AsciiDoc
cp /usr/share/doc/bash/bashref.html "$DOCS/"                                                              # texinfo
cp /usr/share/doc/bash/bashref.pdf /usr/share/doc/maint-guide/maint-guide.en.pdf "$DOCS/"
SHARED=$ROOT/../shared
[ -d "$SHARED/data/real/docx" ] || SHARED=/work/shared
# the DOCX files with body text (having-images.docx and tbl-having-tables.docx give "no text
# found" from source too: an ingest matter, not a packaging one)
cp "$SHARED"/data/real/docx/{test,par-known-paragraphs,doc-access-sections}.docx "$DOCS/"
n_docs=$(ls "$DOCS" | wc -l)
ff() { unshare -n env HOME="$WORK/home" FINEFLOW_DATA_DIR="$WORK/data" "$APP/fineflow" "$@"; }
# Two worker processes (the batch is below the pool's size threshold): spawn children re-run the
# one frozen program under its resolved name, fineflow-desktop, even when `fineflow` started them.
FINEFLOW_INGEST_WORKERS=2 ff ingest --workspace "$WORK/ws" "$DOCS" --json > "$WORK/ingest.json"
python3 - "$WORK/ingest.json" "$n_docs" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); n = int(sys.argv[2])
print(f"ingest: {r['imported']} of {n} files, {r['chunks']} chunks, {r['tokens']} tokens, errors {r['errors']}")
assert r["imported"] == n and not r["errors"], r["errors"]
PY
# Near-duplicates (rensa's MinHash LSH; the bundle has no SciPy but scipy.sparse); export below
# scores the pairs with the same LSH (services.pairs.ensure_scores).
ff dedup --workspace "$WORK/ws" --json > "$WORK/dedup.json"
python3 -c 'import json, sys; print("dedup:", json.load(open(sys.argv[1]))["summary"])' "$WORK/dedup.json"
ff generate --workspace "$WORK/ws" --dataset real-docs --generator extractive
ff export --workspace "$WORK/ws" --dataset real-docs --format openai --out "$WORK/real-docs.jsonl"
ff validate --file "$WORK/real-docs.jsonl" --limit 5
echo "exported $(wc -l < "$WORK/real-docs.jsonl") examples; validate --file exit 0"
# The RAG side: LSA fit (scipy, OpenBLAS, threadpoolctl), FAISS index and FTS5, frozen and offline.
# LD_BIND_NOW=1: every symbol of every library is resolved at load, so a BLAS routine that
# libfaiss.so (relinked to SciPy's OpenBLAS by share_blas.py) cannot find fails here, not later.
LD_BIND_NOW=1 ff embed --workspace "$WORK/ws" --json > "$WORK/embed.json"
LD_BIND_NOW=1 ff search --workspace "$WORK/ws" --json -k 3 "how do I install the package" > "$WORK/search.json"
python3 - "$WORK/embed.json" "$WORK/search.json" <<'PY'
import json, sys
e, s = (json.load(open(p)) for p in sys.argv[1:3])
print(f"embed: {e['added']} vectors with {e['embedder']} ({e['status']}); search: {len(s['hits'])} hits ({s['mode']})")
assert e["status"] == "ok" and e["added"] > 0 and e["index"]["vectors"] == e["total"], e
assert s["mode"] == "hybrid" and len(s["hits"]) == 3, s
PY

step ".deb control data and contents"
dpkg-deb --info "$DEB"
dpkg-deb --contents "$DEB" | grep -E ' ./(usr|opt/fineflow-desktop/fineflow)' | grep -v '_internal' | head -20
echo "lintian findings:"
lintian --no-tag-display-limit "$DEB" || true

if [ "${FINEFLOW_SKIP_CHROOT:-0}" = 1 ] || [ "$(id -u)" != 0 ] || ! command -v debootstrap >/dev/null; then
    echo "skipping the install into a clean chroot (FINEFLOW_SKIP_CHROOT=1, not root, or no debootstrap)"
    exit 0
fi
step ".deb installed with apt into a clean Debian chroot"
SUITE=$(. /etc/os-release && echo "$VERSION_CODENAME")
# Kept outside the clone so CI's fresh clones reuse it (a minbase chroot is ~3 minutes to make).
CHROOT=${FINEFLOW_CHROOT:-/var/cache/fineflow-desktop/chroot-$SUITE}
MIRROR=${FINEFLOW_DEBIAN_MIRROR:-http://deb.debian.org/debian}
if [ ! -x "$CHROOT/usr/bin/apt-get" ]; then
    rm -rf "$CHROOT"
    mkdir -p "$(dirname "$CHROOT")"
    debootstrap --variant=minbase "$SUITE" "$CHROOT" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
        || { tail -20 "$WORK/debootstrap.log"; exit 1; }
fi
cp "$DEB" "$CHROOT/tmp/fineflow.deb"
cleanup_chroot() { umount "$CHROOT/proc" 2>/dev/null || true; rm -f "$CHROOT/tmp/fineflow.deb"; rm -rf "$WORK"; }
trap cleanup_chroot EXIT
mount -t proc proc "$CHROOT/proc"
chroot "$CHROOT" sh -c 'apt-get purge -y -qq fineflow-desktop >/dev/null 2>&1; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/fineflow.deb' > "$WORK/apt.log" 2>&1 \
    || { tail -30 "$WORK/apt.log"; exit 1; }
chroot "$CHROOT" sh -c 'command -v fineflow fineflow-desktop && fineflow --version && ls /usr/share/applications/fineflow-desktop.desktop /usr/share/icons/hicolor/scalable/apps/fineflow-desktop.svg'
mkdir -p "$CHROOT/tmp/docs" && cp "$DOCS/bashref.pdf" "$DOCS/test.docx" "$CHROOT/tmp/docs/"
chroot "$CHROOT" env HOME=/tmp/home sh -c 'fineflow ingest --workspace /tmp/ws /tmp/docs && fineflow generate --workspace /tmp/ws --dataset d && fineflow export --workspace /tmp/ws --dataset d --out /tmp/d.jsonl && fineflow validate --file /tmp/d.jsonl --limit 3'
chroot "$CHROOT" env HOME=/tmp/home QT_QPA_PLATFORM=offscreen fineflow-desktop --smoke-test
# the xcb platform plugin must find every library it links to (installed via Depends)
chroot "$CHROOT" sh -c 'ldd /opt/fineflow-desktop/_internal/PySide6/Qt/plugins/platforms/libqxcb.so | grep "not found" && exit 1 || echo "libqxcb.so: every library found"'
chroot "$CHROOT" sh -c 'apt-get purge -y -qq fineflow-desktop >/dev/null && ! test -e /usr/bin/fineflow && echo "purged cleanly"'
echo; echo "package-test: all checks passed"
