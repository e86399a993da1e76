#!/usr/bin/env bash
# every_list.sh CHECKOUT OUT [flags...]: every bench_ingest_docs list, run by CHECKOUT's own bench and src,
# into OUT. Session start vs end: copy this bench/ into a checkout of the start commit (its src, today's
# metric), run both, then `python3 bench/every_list_table.py START_OUT END_OUT` prints the changed rows.
set -u
co=$1; out=$(realpath -m "$2"); shift 2
py=${PYTHON:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python}  # this checkout's venv unless PYTHON is set
flags=("$@")
[ ${#flags[@]} -eq 0 ] && flags=(DEFAULT --held-out --no-outline --math --round5 --round5-held-out --round6-held-out --round7-held-out --math-held-out-7 --math-held-out-8 --math-held-out-9 --math-held-out-10 --math-held-out-12 --math-held-out-13 --math-held-out-15 --markdown --markdown-held-out --grohtml-man --round9 --round9-held-out --round10-held-out --haddock-ghc --round12 --round12-held-out --round13-held-out --round15-held-out --round16-held-out --html-held-out-18 --html-held-out-19 --chunks-held-out-19 --chunks-held-out-20 --html-held-out-20 --no-outline-held-out-16 --footnotes-held-out-17 --math-held-out-18 --pdf-held-out-19 --pdf-held-out-20)
: > "$out"
cd "$co"
for f in "${flags[@]}"; do
  echo "### LIST $f" >> "$out"
  if [ "$f" = DEFAULT ]; then nice -n 3 "$py" bench/bench_ingest_docs.py >> "$out" 2>/dev/null
  else nice -n 3 "$py" bench/bench_ingest_docs.py "$f" >> "$out" 2>/dev/null; fi
done
echo "### DONE" >> "$out"
