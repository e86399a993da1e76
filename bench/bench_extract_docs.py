"""Extraction on documentation nobody tuned for (issue 10): pairs, injection flags, pair quality.

Per corpus (Debian doc packages, one generator each; the Python docs reST sources are the
development set, the others were only measured):

  * extractive pairs per 10 sections in ``qa`` and ``instruction`` mode (goal >= 1), and the
    rules that produced them;
  * injection false-positive rate: chunks flagged / chunks (goal <= 0.1%), each flag printed with
    its matched text; and recall on the Giskard prompt-injection set (35 prompts, MIT);
  * pair quality (``core.pair_quality.score_pair`` with the source chunk, no neighbours) of the
    extracted pairs: mean, share < 0.5, deciles, and how often each defect signal fires.

``--before REV`` also runs the extractive generator, the injection detector and the pair scorer
as they were at git revision REV (e.g. ``main``) on the same chunks, for a before/after table.
Chunks come from today's parsers (``core.ingest`` + ``core.chunking``, 512 tokens).

    .venv/bin/python bench/bench_extract_docs.py [--max-files 300] [--before main] [--corpus NAME]
        [--held-out | --no-outline | --round5 | --round5-held-out | --round6-held-out | --round7-held-out
         | --math-held-out-7 | --math-held-out-8 | --math-held-out-9 | --math-held-out-10 | --round9
         | --round9-held-out | --round10-held-out | --markdown | --markdown-held-out | --haddock-ghc
         | --round12 | --round12-held-out | --math-held-out-12 | --round13-held-out
         | --math-held-out-13 | --math-held-out-15 | --no-outline-held-out-16
         | --pairs-held-out-17 | --pairs-held-out-18]
        [--dump DIR]

``--dump DIR`` writes every pair, one per line ("mode<TAB>rule<TAB>question<TAB>answer's first 120
characters"), to ``DIR/<label>/<corpus>.tsv`` (label ``after`` or ``before``), so two runs or the
two versions of one run can be diffed pair by pair (``diff -r DIR/before DIR/after``).

The lists are ``bench_ingest_docs``'s; several list flags measure their lists one after another.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REAL, ROOT  # noqa: E402
from bench_ingest_docs import (  # noqa: E402
    HADDOCK_GHC,
    HELD_OUT_CORPORA,
    HTML_CORPORA,
    HTML_HELD_OUT_18,
    MARKDOWN_DEV,
    MARKDOWN_HELD_OUT,
    MATH_HELD_OUT_7,
    MATH_HELD_OUT_8,
    MATH_HELD_OUT_9,
    MATH_HELD_OUT_10,
    MATH_HELD_OUT_12,
    MATH_HELD_OUT_13,
    MATH_HELD_OUT_15,
    NO_OUTLINE_HELD_OUT_16,
    NO_OUTLINE_CORPORA,
    PDF_CORPORA,
    ROUND5_DEV,
    ROUND5_HELD_OUT,
    ROUND6_HELD_OUT,
    ROUND7_HELD_OUT,
    ROUND9_DEV,
    ROUND9_HELD_OUT,
    ROUND10_HELD_OUT,
    ROUND12_DEV,
    ROUND12_HELD_OUT,
    ROUND13_HELD_OUT,
    ROUND15_HELD_OUT,
    ROUND16_HELD_OUT,
    sample,
)

from fineflow_desktop.core.chunking import chunk_sections  # noqa: E402

try:
    from fineflow_desktop.core.chunking import split_combined  # noqa: E402
except ImportError:  # a checkout before round 20
    split_combined = None
from fineflow_desktop.core.ingest import ParseError, parse_file  # noqa: E402

DOC = Path("/usr/share/doc")

# Round 17 (pairs12, session 9, 2026-12-07): documents nobody read, to measure the precision of
# the qa pairs whose question comes from a task heading or a purpose paragraph. The rule was
# written and committed before the scan and before any page was opened; measured only
# (``--pairs-held-out-17``), before and after, never read to fix anything:
# - the first-level package folders of /usr/share/doc, sorted by name, that are not links and
#   whose name sorts at or after "h";
# - keep a folder holding at least 5 files named ``*.html`` / ``*.htm`` (os.walk under it, symlinked
#   folders not followed, subfolders included);
# - leave out every folder that a bench list draws from: a folder name written after ``DOC /`` or
#   after ``/usr/share/doc/`` in ``bench/*.py`` (``_BENCH_FOLDERS`` below, copied from that grep),
#   and every folder holding a page of ``--round12``'s DocBook DSSSL set (its marker "Modular
#   DocBook HTML Stylesheet" in a page's first 4,000 bytes);
# - (amended after the first scan printed folder names, before any page was opened: it kept
#   libjs-bootstrap4, whose Markdown files were round 16's development documents) leave out every
#   folder holding a file the Markdown lists (``--markdown``, ``--markdown-held-out``: ``*.md``,
#   ``*.md.gz``, ``*.markdown``) or ``--round16-held-out``'s rst2html5 (``*.rst``, ``*.rst.gz``) draw from;
# - the first 6 folders left are the list (``_pairs_held_out_17_folders`` prints the scan); each
#   corpus is the folder's HTML files sorted by path, sampled like every list (``--max-files 40``).
# Amended after that scan (folder names only, no page opened): only 4 folders qualify after "h" and
# 5 in all (gap-doc, info, libxml-libxml-perl, libxml2-doc, python3-docutils: mostly API reference,
# few task sections), so all 5 are taken, plus one corpus of Markdown outside /usr/share/doc, which
# no list reads: ``lib-markdown`` = every ``*.md`` / ``*.markdown`` under /usr/lib and /usr/share
# (os.walk, symlinked folders not followed) outside /usr/share/doc, leaving out files under a folder
# named ``legal`` (the JDKs' third-party license notices) or ``.github`` (issue templates), sorted by
# path (npm's documentation, the READMEs of bundled npm, Ruby and Python libraries, …). Judging
# reads the dump of a ``--max-files 300`` run (every file), before and after.
# Judging (fixed before the first run): the qa pairs of the rules gerund_heading, how_to_heading
# and purpose_paragraph in the ``--dump`` files of this list (all corpora concatenated in list
# order), before and after; precision before = the 20 lines of the before file that
# ``shuf -n 20 --random-source=<(yes 17)`` picks, after = the same on the after file, plus every
# pair the change added, reworded or removed (all when <= 40, else 20 picked the same way). A
# pair is *good* when its question, read without the document, asks one specific thing in
# grammatical English and the answer answers it; *weak* when it is grammatical and answered but
# generic (the reader can tell what is asked, not of which product) or has a flaw of form (casing);
# *bad* when it is ungrammatical, needs the document to say what it asks about ("How do I download
# the font?", "these files"), or is not answered.
_BENCH_FOLDERS = frozenset("""4ti2 apache2-doc asciidoctor-doc asymptote autoconf-doc bash bind9-doc bzip2
clrscode3e debian-policy debian-reference-en derivative developers-reference docutils-doc doxygen erlang-doc
fltk1.3-doc fontconfig gettext ghc-doc git-doc glpk-doc gnu-standards gnuplot groff-base haskell98-report
libboost1.81-doc libcdd-dev libcommons-lang3-java libflint-dev libghc-optparse-applicative-doc libgtk-3-doc
libgtk-4-doc libjsoncpp-doc libmpfr-doc library libtasn1-doc libxslt1-dev lintian lynx-common maint-guide
mathcommand mathfixs mathpartir mathsemantics matlab-prettifier maxima-doc mecaso membranecomputing memorygraphs
messagepassing mflogo mhchem miller mismath mkdocs mleftright mlist mnotes moderncv mutt nauty nettle-dev nodejs
octave physics postgresql-doc-15 putty-doc python-django-doc python3.11 r-doc-pdf rust-doc shared-mime-info
sqlite3 texlive-doc valgrind vim zlib1g-dev zsh-common""".split())


def _html_under(folder: Path) -> list[Path]:
    import os

    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        found += [Path(root) / n for n in sorted(names) if n.endswith((".html", ".htm"))]
    return sorted(found)


def _lib_markdown() -> list[Path]:
    """``lib-markdown`` of ``--pairs-held-out-17`` (the rule above)."""
    import os

    found = []
    for top in (Path("/usr/lib"), Path("/usr/share")):
        for root, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d not in ("legal", ".github")
                             and Path(root, d) != DOC)
            found += [Path(root) / n for n in names if n.endswith((".md", ".markdown"))]
    return sorted(p for p in found if p.is_file())


def _holds_sources(folder: Path) -> bool:
    """True when *folder* holds a Markdown or reST file (the Markdown lists' and rst2html5's sources)."""
    import os

    for _root, _dirs, names in os.walk(folder):
        if any(n.endswith((".md", ".md.gz", ".markdown", ".rst", ".rst.gz")) for n in names):
            return True
    return False


def _pairs_held_out_17_folders(n: int = 6, first: str = "") -> list[Path]:
    """The package folders of ``--pairs-held-out-17`` (the rule above), in name order: the first *n*
    from *first* on (the amended rule takes every one: only 5 qualify)."""
    chosen = []
    for folder in sorted(DOC.iterdir()):
        if folder.is_symlink() or not folder.is_dir() or folder.name < first or folder.name in _BENCH_FOLDERS:
            continue
        if _holds_sources(folder):
            continue
        pages = _html_under(folder)
        if len(pages) < 5:
            continue
        if any(b"Modular DocBook HTML Stylesheet" in p.read_bytes()[:4000] for p in pages if p.is_file()):
            continue
        chosen.append(folder)
        if len(chosen) == n:
            break
    return chosen


# Round 18 (pairs13, session 10, 2026-12-07): documents nobody read, to measure the qa pairs of
# definition lists (a term asked without what it is a term of) and reference pages. Written and
# committed before the scan and before any page was opened; measured only (``--pairs-held-out-18``),
# before and after, never read to fix anything. Round 17's scan found only 5 package folders of
# /usr/share/doc with >= 5 HTML pages that no list draws from, and took all 5, so none is left there:
# - the first-level folders of /usr/share and then of /usr/lib (each sorted by name; not links; not
#   /usr/share/doc), whose name no bench list draws from: a folder name written right after
#   ``/usr/share/`` or ``/usr/lib/`` in ``bench/*.py`` (``_PAIRS_18_SKIP`` below, copied from that
#   grep: cppreference, gap, pari, perl, qt5, R, rubygems-integration, texlive, texmf);
# - a folder's pages: every file named ``*.html`` / ``*.htm`` under it (os.walk, symlinked folders not
#   followed), leaving out files that are links and files whose real path is under /usr/share/doc
#   (pages a list may already read), sorted by path;
# - keep a folder with at least 5 such pages; the first 6 folders are the list (corpus name = the
#   folder's name; ``_pairs_held_out_18_folders`` prints nothing, the bench prints the names), each
#   sampled like every list (``--max-files 40``).
# Amended after the first scan printed folder names and page counts only (no page opened): it kept
# /usr/share/debian-reference and /usr/share/developers-reference, which /usr/share/doc reaches
# through a folder link (debian-reference-en/docs -> ../../debian-reference), so the default and
# held-out lists read them. Also left out: pages under the real path of any link found under
# /usr/share/doc (os.walk of /usr/share/doc, links to folders or files, ``_doc_link_targets``).
# Amended again after that scan (names and counts only): 5 folders qualify (javascript,
# sphinx_rtd_theme, google-cloud-sdk, node_modules, python3), all taken; and one more corpus,
# ``doc-small-html``: every HTML page of the /usr/share/doc package folders holding 1 to 4 of them
# (``_html_under``), not links, not named in ``_BENCH_FOLDERS``, not one of ``--pairs-held-out-17``'s
# (checked by name: gap-doc, info, libxml-libxml-perl, libxml2-doc, python3-docutils), not holding a
# Markdown or reST file (``_holds_sources``, as round 17), pages sorted by path, sampled the same way.
# Judging (fixed before the first run): the qa pairs in the ``--dump`` files of this list (all
# corpora concatenated in list order), before and after, ``--max-files 40``: every pair the change
# added, reworded or removed (all when <= 40, else the 20 lines ``shuf -n 20
# --random-source=<(yes 18)`` picks from each side), plus 20 qa pairs of the rules definition,
# glossary and reference_page picked the same way from the after file. Good / weak / bad as round 17
# wrote them (above): *good* asks one specific thing in grammatical English, read without the
# document, and the answer answers it; *weak* is grammatical and answered but generic or flawed in
# form; *bad* is ungrammatical, needs the document to say what it asks about ("What is color?"), or
# is not answered.
_PAIRS_18_SKIP = frozenset("cppreference gap pari perl qt5 R rubygems-integration texlive texmf".split())


_LINK_TARGETS: list[str] = []


def _doc_link_targets() -> list[str]:
    """The real paths (with a trailing "/" for folders) of every link under /usr/share/doc."""
    import os

    if not _LINK_TARGETS:
        for root, dirs, names in os.walk(DOC):
            for n in dirs + names:
                p = os.path.join(root, n)
                if os.path.islink(p):
                    real = os.path.realpath(p)
                    _LINK_TARGETS.append(real + "/" if os.path.isdir(real) else real)
        _LINK_TARGETS.append(str(DOC) + "/")
    return _LINK_TARGETS


def _pairs_held_out_18_pages(folder: Path) -> list[Path]:
    import os

    targets = tuple(_doc_link_targets())
    return [p for p in _html_under(folder)
            if not p.is_symlink() and not (os.path.realpath(p) + "/").startswith(targets)
            and os.path.realpath(p) not in targets]


_PAIRS_17_FOLDERS = frozenset("gap-doc info libxml-libxml-perl libxml2-doc python3-docutils".split())


def _doc_small_html() -> list[Path]:
    """``doc-small-html`` of ``--pairs-held-out-18`` (the rule above)."""
    pages = []
    for folder in sorted(DOC.iterdir()):
        if folder.is_symlink() or not folder.is_dir() or folder.name in _BENCH_FOLDERS | _PAIRS_17_FOLDERS:
            continue
        found = _html_under(folder)
        if 1 <= len(found) <= 4 and not _holds_sources(folder):
            pages += found
    return sorted(pages)


def _pairs_held_out_18_folders(n: int = 6) -> list[Path]:
    """The folders of ``--pairs-held-out-18`` (the rule above), in list order."""
    chosen = []
    for top in (Path("/usr/share"), Path("/usr/lib")):
        for folder in sorted(top.iterdir()):
            if folder.is_symlink() or not folder.is_dir() or folder == DOC or folder.name in _PAIRS_18_SKIP:
                continue
            if len(_pairs_held_out_18_pages(folder)) >= 5:
                chosen.append(folder)
                if len(chosen) == n:
                    return chosen
    return chosen


# (name, generator, files): the Python docs reST sources (the development set of the extractive
# rules) plus the HTML and PDF corpora of the ingest benchmark, which the rules were not written on.
CORPORA = [("python-rst", "reST sources (dev set)", lambda: sorted((DOC / "python3.11/html/_sources").rglob("*.rst.txt"))),
           *HTML_CORPORA, *PDF_CORPORA]
PAIRS_HELD_OUT_17 = [
    *[(f.name, "HTML (/usr/share/doc)", lambda f=f: _html_under(f)) for f in _pairs_held_out_17_folders()],
    ("lib-markdown", "Markdown outside /usr/share/doc", _lib_markdown),
]
PAIRS_HELD_OUT_18 = [(f.name, "HTML outside /usr/share/doc", lambda f=f: _pairs_held_out_18_pages(f))
                     for f in _pairs_held_out_18_folders()] + [
    ("doc-small-html", "HTML (/usr/share/doc, folders of 1-4 pages)", _doc_small_html)]
# flag → (bench_ingest_docs list, help): the corpus lists of every ingest round
LISTS = {
    "held_out": (HELD_OUT_CORPORA, "the held-out corpora of bench_ingest_docs"),
    "no_outline": (NO_OUTLINE_CORPORA, "the PDFs without an outline of bench_ingest_docs"),
    "round5": (ROUND5_DEV, "round 5's development half"),
    "round5_held_out": (ROUND5_HELD_OUT, "round 5's held-out half (measure only)"),
    "round6_held_out": (ROUND6_HELD_OUT, "round 6's held-out generators (measure only)"),
    "round7_held_out": (ROUND7_HELD_OUT, "round 7's held-out sites (measure only)"),
    "math_held_out_7": (MATH_HELD_OUT_7, "round 7's held-out PDFs with mathematics (measure only)"),
    "math_held_out_8": (MATH_HELD_OUT_8, "round 8's held-out PDFs with mathematics (measure only)"),
    "math_held_out_9": (MATH_HELD_OUT_9, "round 9's held-out PDFs with mathematics (measure only)"),
    "math_held_out_10": (MATH_HELD_OUT_10, "round 10's held-out LaTeX package PDFs (measure only)"),
    "round9": (ROUND9_DEV, "round 9's development half (RDoc, GAPDoc, pod2html, pydoc)"),
    "round9_held_out": (ROUND9_HELD_OUT, "round 9's held-out half (rst2html, mandoc, Halibut)"),
    "round10_held_out": (ROUND10_HELD_OUT, "round 10's held-out generators (Haddock, pandoc, YARD)"),
    "markdown": (MARKDOWN_DEV, "Markdown under /usr/share/doc, packages a-l"),
    "markdown_held_out": (MARKDOWN_HELD_OUT, "Markdown, packages m-z (measure only)"),
    "haddock_ghc": (HADDOCK_GHC, "ghc-doc's Haddock pages: base, containers, directory (pairs8's held-out set)"),
    "round12": (ROUND12_DEV, "round 12's development half (DocBook DSSSL, lynx help)"),
    "round12_held_out": (ROUND12_HELD_OUT, "round 12's held-out half (libxslt API, man2html; measure only)"),
    "math_held_out_12": (MATH_HELD_OUT_12, "round 12's held-out PDFs (measure only)"),
    "math_held_out_13": (MATH_HELD_OUT_13, "round 13's held-out PDFs (measure only)"),
    "math_held_out_15": (MATH_HELD_OUT_15, "round 15's held-out PDFs (measure only)"),
    "no_outline_held_out_16": (NO_OUTLINE_HELD_OUT_16, "round 16's held-out PDFs without an outline (measure only)"),
    "round13_held_out": (ROUND13_HELD_OUT, "round 13's held-out generators (measure only)"),
    "round15_held_out": (ROUND15_HELD_OUT, "round 15's held-out generators (HsColour, Python-Markdown; measure only)"),
    "round16_held_out": (ROUND16_HELD_OUT, "round 16's held-out generators (rst2html5, pandoc from Markdown; measure only)"),
    "html_held_out_18": (HTML_HELD_OUT_18, "round 18's held-out doc folders (openjdk-17, python3-watchdog, texlive-base; measure only)"),
    "pairs_held_out_17": (PAIRS_HELD_OUT_17, "round 17's held-out documents for the qa pairs' precision (measure only)"),
    "pairs_held_out_18": (PAIRS_HELD_OUT_18, "round 18's held-out HTML outside /usr/share/doc for definition-list and "
                          "reference-page pairs (measure only)"),
}


def load_chunks(files: list[Path]) -> tuple[list[tuple[int, str, str, list[str], str]], int]:
    """``[(doc index, file name, title, heading path, chunk text)]`` and the number of failures."""
    out, failed = [], 0
    for i, f in enumerate(files):
        try:
            doc = parse_file(f)
        except (ParseError, OSError):
            failed += 1
            continue
        for c in chunk_sections(doc.sections):
            # a chunk of combined small sections gives them back, as services.datasets._sections does
            # (round 20; a checkout without the rule has no split_combined and no combined chunk)
            for path, text in (split_combined(list(c.heading_path), c.text, c.meta) if split_combined
                               else [(list(c.heading_path), c.text)]):
                out.append((i, f.name, doc.title or "", path, text))
    return out, failed


def sections_of(chunks, section_input):
    """Chunks grouped like ``services.datasets._sections`` (document + heading path, in order)."""
    sections = []
    for cid, (doc, name, title, path, text) in enumerate(chunks):
        last = sections[-1] if sections else None
        if last and last.document_id == doc and last.heading_path == path:
            last.chunks.append((cid, text))
        else:
            try:
                sections.append(section_input(doc, name, path, [(cid, text)], title))
            except TypeError:  # an older SectionInput without document_title
                sections.append(section_input(doc, name, path, [(cid, text)]))
    return sections


def load_revision(rev: str) -> dict:
    """core.extractive / core.injection / core.pair_quality as they were at git *rev*."""
    mods = {}
    tmp = Path(tempfile.mkdtemp(prefix="ff-before-"))
    sys.path.insert(0, str(tmp))
    for name in ("extractive", "injection", "pair_quality"):
        listing = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{rev}:src/fineflow_desktop/core/{name}"],
                                 capture_output=True, text=True).stdout.split()
        if listing:  # a package at *rev* (core/extractive/ since the last review pass): its modules
            # import each other absolutely; point those imports at the copy
            pkg = tmp / f"before_{name}"
            pkg.mkdir()
            for file in (f for f in listing if f.endswith(".py")):
                text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:src/fineflow_desktop/core/{name}/{file}"],
                                      capture_output=True, text=True, check=True).stdout
                (pkg / file).write_text(text.replace(f"fineflow_desktop.core.{name}", f"before_{name}"))
            mods[name] = importlib.import_module(f"before_{name}")
            continue
        src = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:src/fineflow_desktop/core/{name}.py"],
                             capture_output=True, text=True, check=True).stdout
        for loaded in mods:  # pair_quality reads extractive's words: from the same revision
            src = src.replace(f"fineflow_desktop.core.{loaded}.", f"before_{loaded}.").replace(
                f"fineflow_desktop.core.{loaded} ", f"before_{loaded} ")
        path = tmp / f"before_{name}.py"
        path.write_text(src)
        spec = importlib.util.spec_from_file_location(f"before_{name}", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod  # dataclasses look their module up there
        spec.loader.exec_module(mod)
        mods[name] = mod
    return mods


def measure(chunks, extractive, injection, pair_quality, label: str, show: int) -> dict:
    sections = sections_of(chunks, extractive.SectionInput)
    by_id = {cid: text for cid, (_d, _n, _t, _p, text) in enumerate(chunks)}
    out = {"sections": len(sections), "chunks": len(chunks)}
    qa_pairs = []
    for mode in ("qa", "instruction"):
        t = time.perf_counter()
        pairs = list(extractive.extract_pairs(sections, mode=mode))
        out[f"{mode}_secs"] = time.perf_counter() - t
        out[mode] = len(pairs)
        out[f"{mode}_rules"] = Counter(p.meta.get("rule") for p in pairs)
        if mode == "qa":
            qa_pairs = pairs
        out[f"{mode}_pairs"] = pairs
    flagged = []
    for _d, name, _t, path, text in chunks:
        scanned = "\n".join(path) + "\n" + text if path else text
        flags = injection.detect_injection(scanned)
        if flags:
            flagged.append((name, flags))
    out["flagged"] = flagged
    scores, fired = [], Counter()
    for p in qa_pairs + out["instruction_pairs"]:
        score, signals = pair_quality.score_pair(p.user, p.assistant, by_id.get(p.chunk_id))
        scores.append(score)
        fired.update(k for k, s in signals.items() if not s.get("ok"))
    out["scores"] = scores
    out["fired"] = fired
    return out


def giskard_recall(injection) -> tuple[int, int]:
    rows = list(csv.DictReader(open(REAL / "giskard_prompt_injections.csv", encoding="utf-8")))
    return sum(1 for r in rows if injection.detect_injection(r["prompt"])), len(rows)


def report(name: str, gen: str, files: int, failed: int, m: dict, label: str, show: int) -> None:
    n = max(1, m["sections"])
    fp = len(m["flagged"])
    s = m["scores"]
    deciles = [round(q, 2) for q in statistics.quantiles(s, n=10)] if len(s) >= 10 else []
    print(f"  [{label}] {name} ({gen}): {files} files ({failed} failed), {m['chunks']} chunks, {m['sections']} sections")
    print(f"    pairs per 10 sections: qa {10 * m['qa'] / n:.2f} ({m['qa']}), "
          f"instruction {10 * m['instruction'] / n:.2f} ({m['instruction']})")
    print(f"    qa rules: {dict(m['qa_rules'].most_common())}")
    print(f"    injection false positives: {fp}/{m['chunks']} = {100 * fp / max(1, m['chunks']):.3f}% of chunks")
    for fname, flags in m["flagged"][:show]:
        print(f"      {fname}: " + "; ".join(f"{f.reason}: “{f.match}”" for f in flags))
    if s:
        print(f"    pair quality ({len(s)} pairs): mean {statistics.mean(s):.3f}, < 0.5: {sum(x < 0.5 for x in s)} "
              f"({100 * sum(x < 0.5 for x in s) / len(s):.1f}%), deciles {deciles}")
        print(f"    signals failing: {dict(m['fired'].most_common())}")


def rescore(m: dict, chunks, scorer) -> None:
    """Print the pair-quality line of *m*'s pairs scored with *scorer* (today's ``pair_quality``)."""
    by_id = {cid: text for cid, (_d, _n, _t, _p, text) in enumerate(chunks)}
    scores, fired = [], Counter()
    for p in m["qa_pairs"] + m["instruction_pairs"]:
        score, signals = scorer.score_pair(p.user, p.assistant, by_id.get(p.chunk_id))
        scores.append(score)
        fired.update(k for k, sig in signals.items() if not sig.get("ok"))
    if scores:
        low = sum(x < 0.5 for x in scores)
        print(f"    same pairs, today's scorer: mean {statistics.mean(scores):.3f}, < 0.5: {low} "
              f"({100 * low / len(scores):.1f}%), < 0.8: {sum(x < 0.8 for x in scores)}; signals failing: {dict(fired.most_common())}")


def dump_pairs(folder: Path, corpus: str, m: dict) -> None:
    """Every pair of *m* (both modes), one per line, to ``folder/<corpus>.tsv``."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{corpus}.tsv", "w", encoding="utf-8") as out:
        for mode in ("qa", "instruction"):
            for p in m[f"{mode}_pairs"]:
                answer = " ".join(p.assistant.split())[:120]
                out.write(f"{mode}\t{p.meta.get('rule')}\t{' '.join(p.user.split())}\t{answer}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-files", type=int, default=300, help="files sampled per corpus (evenly spread)")
    ap.add_argument("--before", default=None, help="git revision to compare with (e.g. main)")
    ap.add_argument("--corpus", action="append", default=None, help="only these corpora (by name)")
    ap.add_argument("--show", type=int, default=5, help="flagged chunks printed per corpus")
    ap.add_argument("--samples", type=int, default=0, help="print N sample pairs per mode and corpus")
    ap.add_argument("--dump", type=Path, default=None, help="write every pair to DIR/<label>/<corpus>.tsv")
    for key, (_corpora, text) in LISTS.items():
        ap.add_argument("--" + key.replace("_", "-"), action="store_true", help=text + " instead")
    args = ap.parse_args()

    from fineflow_desktop.core import extractive, injection, pair_quality

    versions = [("after", extractive, injection, pair_quality)]
    if args.before:
        b = load_revision(args.before)
        versions.insert(0, (f"before {args.before}", b["extractive"], b["injection"], b["pair_quality"]))
    for label, _e, inj, _q in versions:
        hit, total = giskard_recall(inj)
        print(f"[{label}] Giskard prompt-injection recall: {hit}/{total} = {100 * hit / total:.1f}%")
    chosen = [corpora for key, (corpora, _text) in LISTS.items() if getattr(args, key)]
    corpora = [c for lst in chosen for c in lst] if chosen else CORPORA
    for name, gen, files_of in corpora:
        if args.corpus and name not in args.corpus:
            continue
        files = sample(files_of(), args.max_files)
        if not files:
            print(f"  {name}: not installed, skipped")
            continue
        t = time.perf_counter()
        chunks, failed = load_chunks(files)
        print(f"{name}: parsed {len(files)} files in {time.perf_counter() - t:.1f} s")
        for label, ext, inj, pq in versions:
            m = measure(chunks, ext, inj, pq, label, args.show)
            report(name, gen, len(files), failed, m, label, args.show)
            if args.dump:
                dump_pairs(args.dump / label.split()[0], name, m)
            if label != "after":  # the same pairs under today's scorer: does it see what is poor in them?
                rescore(m, chunks, pair_quality)
            if args.samples and label == "after":
                for mode in ("qa", "instruction"):
                    for p in m[f"{mode}_pairs"][:: max(1, len(m[f"{mode}_pairs"]) // args.samples)][: args.samples]:
                        print(f"      {mode}: {p.user}  →  {p.assistant[:100]!r}")
    print("(timings measured on a shared 2-core machine under load)")


if __name__ == "__main__":
    main()
