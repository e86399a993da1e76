#!/bin/sh
# Before `make run`: are the system libraries Qt's xcb platform plugin needs installed?
# The Debian packages are listed once, in packaging/linux-runtime-libs.txt (the .deb's Depends
# read the same file). Missing ones are installed when we are root with apt-get (as `make
# corpus` does); otherwise this stops with the exact command to run. `ldd` on the plugin then
# names any library still not found (other distributions, or a gap in the list).
#
# usage: packaging/qt_runtime_check.sh [--print-only] [PATH/TO/libqxcb.so]
#   --print-only  report, never install (exit 1 when something is missing)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
LIST=${FINEFLOW_QT_LIBS_LIST:-$HERE/linux-runtime-libs.txt}
print_only=0
if [ "${1:-}" = "--print-only" ]; then print_only=1; shift; fi
PLUGIN=${1:-}

case "$(uname -s)" in Linux) ;; *) exit 0 ;; esac
case "${QT_QPA_PLATFORM:-xcb}" in xcb*) ;; *) exit 0 ;; esac  # offscreen, wayland…: no xcb needed

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $(grep -o '^[^#]*' "$LIST"); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
  done
fi

if [ -n "$missing" ] && [ "$print_only" = 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the libraries Qt needs for its window:$missing"
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >/dev/null; then
    missing=""
  else
    echo "apt-get install failed" >&2
  fi
fi

notfound=""
if [ -n "$PLUGIN" ] && [ -f "$PLUGIN" ] && command -v ldd >/dev/null 2>&1; then
  notfound=$(ldd "$PLUGIN" 2>/dev/null | awk '/not found/ {printf " %s", $1}')
fi

if [ -z "$missing" ] && [ -z "$notfound" ]; then exit 0; fi
{
  echo "FineFlow Desktop cannot open its window: Qt's xcb platform plugin needs system libraries that are missing."
  [ -n "$notfound" ] && echo "  not found:$notfound"
  if [ -n "$missing" ]; then
    echo "Install them with:"
    echo "  sudo apt-get install -y$missing"
  else
    echo "Install the packages that provide them (Debian/Ubuntu names: $LIST)."
  fi
} >&2
exit 1
