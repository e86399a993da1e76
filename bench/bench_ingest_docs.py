"""Documentation ingest quality per corpus (issue 10): HTML of seven generators and real PDFs.

For each corpus (a sample of up to ``--files`` pages, evenly spread over the sorted file list)
it parses every file with the registered parser (``core.ingest.parse_file``), chunks it
(``core.chunking.chunk_sections``, 512 tokens, 64 overlap, as ingest does) and prints:

- files stored / failed (failed: a parse error or no text);
- ``heading``: share of chunks with a non-empty heading path;
- ``torn``: share of chunks with an inline fragment torn out mid-sentence (goal ≤ 0.5%;
  ``doc_metrics.has_torn_fragment``);
- ``brk``: share of chunks with a paragraph break inside a sentence (goal ≤ 5%;
  ``doc_metrics.has_break_in_sentence``);
- ``fid``: text fidelity, mean share of each chunk's word 4-grams found in the page's own text
  (goal ≥ 98%; ``doc_metrics.fidelity``). The page's own text: for HTML every text node of the
  page (lxml ``itertext``), joined both without and with spaces; for PDF ``pdftotext`` (poppler)
  in its default order and with ``-layout`` (rows as printed; ``--raw-pdf-reference`` for the
  default order only, which reads a table column by column), the default order read once more
  without the page furniture at each page break (round 18, ``doc_metrics.without_page_edges``: a
  sentence running on over a page break); for DOCX the runs of each paragraph;
- ``s/MB``: parse + chunk seconds per MB of input (no database, no curation scores).

``--compare`` runs the HTML corpora through other extractors too (trafilatura as used before
issue 10, readability-lxml, html-text, inscriptis, markdownify, html2text; text-only outputs
become one section without heading path, Markdown outputs are split by their ``#`` headings).
``--pdf-compare`` compares pypdf, pypdfium2 and pdfminer.six page text on the PDFs.
``--held-out``, ``--no-outline`` and ``--math`` (PDFs with mathematics, round 4) pick other
corpus lists; ``--raw-pdf-reference`` scores PDFs against pdftotext's default order only.

    .venv/bin/python bench/bench_ingest_docs.py [--files 40] [--compare] [--pdf-compare] [--only NAME]
        [--held-out | --no-outline | --math | --markdown | --markdown-held-out | --round5 | --round5-held-out | --round6-held-out
         | --round7-held-out | --math-held-out-7 | --math-held-out-8 | --math-held-out-9 | --math-held-out-10 | --math-held-out-12 | --math-held-out-13 | --math-held-out-15 | --no-outline-held-out-16 | --grohtml-man | --layout-vs-outline
         | --round9 | --round9-held-out | --round10-held-out | --haddock-ghc
         | --round12 | --round12-held-out | --round13-held-out | --round15-held-out | --round16-held-out | --html-held-out-18 | --footnotes-held-out-17 | --math-held-out-18 | --pdf-held-out-19 | --pdf-held-out-20 | --html-held-out-19 | --html-held-out-20 | --chunks-held-out-19 | --chunks-held-out-20] [--raw-pdf-reference]

Timings on the shared development machine are under load (8 engineers, 2 cores).
"""

from __future__ import annotations

import argparse
import contextlib
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from doc_metrics import (TINY_TOKENS, combined_fidelity, ends_on_lead_in, fidelity, glued_note_marks, has_break_in_sentence,  # noqa: E402
                         has_torn_fragment, is_label_only, ngram_set, repeated_texts, without_page_edges, words)

from fineflow_desktop.core.chunking import chunk_sections  # noqa: E402
from fineflow_desktop.core.ingest import ParseError, Section, parse_file  # noqa: E402

DOC = Path("/usr/share/doc")
# (name, generator, files); the Python docs HTML is the development set, the others were not looked at.
HTML_CORPORA = [
    ("python-3.11", "Sphinx (dev set)", lambda: sorted((DOC / "python3.11/html/library").glob("*.html"))),
    ("postgresql-15", "DocBook", lambda: sorted((DOC / "postgresql-doc-15/html").glob("*.html"))),
    ("bashref", "texinfo (1 page)", lambda: [DOC / "bash/bashref.html"]),
    ("gettext", "texinfo", lambda: sorted((DOC / "gettext").glob("gettext_*.html"))),
    ("autoconf-standards", "texinfo (1 page)", lambda: [DOC / "autoconf-doc/standards.html"]),
    ("git", "AsciiDoc", lambda: sorted((DOC / "git-doc").glob("*.html"))),
    ("gtk3", "gtk-doc", lambda: sorted((DOC / "libgtk-3-doc/gtk3").glob("*.html"))),
    ("commons-lang3", "javadoc", lambda: sorted((DOC / "libcommons-lang3-java/api/org").rglob("*.html"))),
    ("mkdocs", "MkDocs", lambda: sorted((DOC / "mkdocs/html").rglob("*.html"))),
    ("django", "Sphinx", lambda: sorted((DOC / "python-django-doc/html").rglob("*.html"))),
    ("debian-reference", "DocBook", lambda: sorted((DOC / "debian-reference-en/docs").glob("*.en.html"))),
]
PDF_CORPORA = [
    ("bashref.pdf", "texinfo PDF", lambda: [DOC / "bash/bashref.pdf"]),
    ("maint-guide.pdf", "DocBook PDF", lambda: [DOC / "maint-guide/maint-guide.en.pdf"]),
    ("libtasn1.pdf", "texinfo PDF", lambda: [DOC / "libtasn1-doc/libtasn1.pdf"]),
    ("shared-mime-info.pdf", "DocBook PDF", lambda: [DOC / "shared-mime-info/shared-mime-info-spec.pdf"]),
]


def _gunzipped(path: Path) -> list[Path]:
    """*path* (a ``.pdf.gz``) decompressed once into the temp folder (Debian ships some PDFs gzipped)."""
    import gzip
    import tempfile

    if not path.is_file():
        return []
    out = Path(tempfile.gettempdir()) / "fineflow-bench" / path.name[:-3]
    if not out.is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(gzip.decompress(path.read_bytes()))
    return [out]


# Held-out corpora of the second round of issue 10 (chunker fences, PDF page joins and structure):
# chosen before that work started and not looked at while changing code (``--held-out``).
HELD_OUT_CORPORA = [
    ("gnu-maintain", "texinfo (1 page)", lambda: [DOC / "gnu-standards/maintain.html"]),
    ("developers-ref", "Sphinx", lambda: sorted((DOC / "developers-reference/docs").glob("*.html"))),
    ("real-docx", "DOCX", lambda: sorted(Path("/work/shared/data/real/docx").glob("*.docx"))),
    ("bash.pdf", "groff man PDF", lambda: [DOC / "bash/bash.pdf"]),
    ("developers-ref.pdf", "Sphinx LaTeX PDF", lambda: [DOC / "developers-reference/docs/developers-reference.pdf"]),
    ("gnu-maintain.pdf", "texinfo PDF", lambda: _gunzipped(DOC / "gnu-standards/maintain.pdf.gz")),
    ("gnu-standards.pdf", "texinfo PDF", lambda: _gunzipped(DOC / "gnu-standards/standards.pdf.gz")),
]


def _man_pdf(page: str) -> list[Path]:
    """The man page *page* set as PDF by groff's own PDF device (``groff -man -Tpdf``, gropdf;
    needs Debian's ``groff`` package), made once into the temp folder."""
    import tempfile

    out = Path(tempfile.gettempdir()) / "fineflow-bench" / f"{page}.pdf"
    if not out.is_file():
        src = subprocess.run(["man", "-w", page], capture_output=True, text=True).stdout.strip()
        if not src:
            return []
        roff = subprocess.run(["zcat", "-f", src], capture_output=True).stdout
        pdf = subprocess.run(["groff", "-man", "-mandoc", "-Tpdf"], input=roff, capture_output=True).stdout
        if not pdf.startswith(b"%PDF"):
            return []
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
    return [out]


def _man_html(pages: list[str]) -> list[Path]:
    """The man pages *pages* set as HTML by groff's grohtml device (``groff -man -Thtml``; needs
    Debian's ``groff`` package), made once into the temp folder; pages not installed are left out."""
    import tempfile

    found = []
    for page in pages:
        out = Path(tempfile.gettempdir()) / "fineflow-bench" / "grohtml-man" / f"{page}.1.html"
        if not out.is_file():
            src = subprocess.run(["man", "-w", page], capture_output=True, text=True).stdout.strip()
            if not src:
                continue
            roff = subprocess.run(["zcat", "-f", src], capture_output=True).stdout
            out.parent.mkdir(parents=True, exist_ok=True)  # grohtml's image folder must have a parent
            html = subprocess.run(["groff", "-man", "-mandoc", "-Thtml", f"-P-D{out.parent / 'img'}"],
                                  input=roff, capture_output=True).stdout
            if b"<html" not in html[:2000].lower():
                continue
            out.write_bytes(html)
        found.append(out)
    return found


# grohtml man pages (round 7 of issue 10): the same device as groff-pic (round 7's development
# corpus) on the man macros, generated and measured only, never read (``--grohtml-man``).
GROHTML_MAN = [("grohtml-man", "grohtml (man)", lambda: _man_html(["find", "tar", "grep", "ssh", "sed", "make",
                                                                     "gzip"]))]


# PDFs without an outline (bookmarks), issue 10 round 3: headings from typography only
# (``core/ingest/pdf_headings``). bash.pdf was the development file; the others were chosen
# before that work and not looked at while writing it (``--no-outline``).
NO_OUTLINE_CORPORA = [
    ("bash.pdf (dev)", "groff man, gs", lambda: [DOC / "bash/bash.pdf"]),
    ("fhs-3.0.pdf", "DocBook FOP", lambda: _gunzipped(DOC / "debian-policy/fhs/fhs-3.0.pdf.gz")),
    ("crc-doc.pdf", "LaTeX", lambda: _gunzipped(DOC / "zlib1g-dev/crc-doc.1.0.pdf.gz")),
    ("bzip2-manual.pdf", "PassiveTeX", lambda: _gunzipped(DOC / "bzip2/manual.pdf.gz")),
    ("find.1.pdf", "groff man, gropdf", lambda: _man_pdf("find")),
    ("tar.1.pdf", "groff man, gropdf", lambda: _man_pdf("tar")),
    ("ssh.1.pdf", "groff mdoc, gropdf", lambda: _man_pdf("ssh")),
    ("grep.1.pdf", "groff man, gropdf", lambda: _man_pdf("grep")),
]


# Round 4 (issue 10, formulas and sub/superscripts): crc-doc.pdf (above) was the development file;
# these PDFs with mathematics were installed (Debian glpk-doc, 4ti2-doc, nauty-doc, libcdd-doc) and
# only measured, never read while writing the rules (``--math``)
MATH_HELD_OUT = [
    ("glpk.pdf", "LaTeX", lambda: [DOC / "glpk-doc/glpk.pdf"]),
    ("glpk-gmpl.pdf", "LaTeX", lambda: [DOC / "glpk-doc/gmpl.pdf"]),
    ("glpk-graphs.pdf", "LaTeX", lambda: [DOC / "glpk-doc/graphs.pdf"]),
    ("glpk-cnfsat.pdf", "LaTeX", lambda: [DOC / "glpk-doc/cnfsat.pdf"]),
    ("4ti2-manual.pdf", "LaTeX", lambda: [DOC / "4ti2/4ti2_manual.pdf"]),
    ("nauty-nug28.pdf", "LaTeX", lambda: [DOC / "nauty/nug28.pdf"]),
    ("cddlibman.pdf", "LaTeX", lambda: _gunzipped(DOC / "libcdd-dev/cddlibman.pdf.gz")),
]



# Round 5 (session 5): generators no earlier round measured, installed from Debian at the start
# of the round (libjsoncpp-doc, fltk1.3-doc, doxygen-doc, rust-doc, sqlite3-doc, nodejs-doc,
# haskell98-report, gnuplot-doc, erlang-doc, asymptote-doc). ``--round5`` is the development half
# (its pages may be read to find general causes); ``--round5-held-out`` is measured only, before
# and after, never read while changing code.
ROUND5_DEV = [
    ("jsoncpp", "Doxygen 1.9", lambda: sorted((DOC / "libjsoncpp-doc").glob("*.html"))),
    ("rust-std", "rustdoc", lambda: sorted((DOC / "rust-doc/html/std").rglob("*.html"))),
    ("sqlite", "hand-written (Tcl)", lambda: sorted((DOC / "sqlite3").glob("*.html"))),
    ("nodejs", "Node.js doc tool", lambda: sorted((DOC / "nodejs/api").glob("*.html"))),
    ("doxygen-manual.pdf", "Doxygen LaTeX PDF", lambda: [DOC / "doxygen/doxygen_manual.pdf"]),
    ("gnuplot.pdf", "LaTeX", lambda: [DOC / "gnuplot/gnuplot.pdf"]),
]
ROUND5_HELD_OUT = [
    ("fltk", "Doxygen 1.9 (C++)", lambda: sorted((DOC / "fltk1.3-doc/HTML").glob("*.html"))),
    ("doxygen-manual", "Doxygen (manual)", lambda: sorted((DOC / "doxygen/html").glob("*.html"))),
    ("rust-book", "mdBook", lambda: sorted((DOC / "rust-doc/html/book").glob("*.html"))),
    ("haskell98", "hand-written HTML", lambda: sorted((DOC / "haskell98-report/html").rglob("*.html"))),
    ("gnuplot-html", "LaTeX2HTML", lambda: sorted((DOC / "gnuplot/htmldocs").glob("*.html"))),
    ("erlang", "erl_docgen", lambda: sorted((DOC / "erlang-doc/lib").glob("*/doc/html/*.html"))),
    ("asymptote.pdf", "texinfo PDF", lambda: [DOC / "asymptote/asymptote.pdf"]),
    ("asy-latex.pdf", "LaTeX", lambda: [DOC / "asymptote/asy-latex.pdf"]),
    ("erlang-system.pdf", "erl_docgen FOP", lambda: sorted((DOC / "erlang-doc/doc/pdf").glob("otp-system-documentation-*.pdf"))),
    ("erlang-sasl.pdf", "erl_docgen FOP", lambda: sorted((DOC / "erlang-doc/lib").glob("sasl-*/doc/pdf/sasl-*.pdf"))),
]


# Round 6 (session 5, after html5 was merged): generators of no earlier round, installed then
# (apache2-doc, vim-doc, cppreference-doc-en-html, zsh-doc; groff's own HTML and PDFs) and only measured
# (``--round6-held-out``): never read while changing code.
ROUND6_HELD_OUT = [
    ("apache-httpd", "XSLT manual (en)", lambda: sorted((DOC / "apache2-doc/manual/en").rglob("*.html"))),
    ("vim-help", "vim2html", lambda: sorted((DOC / "vim/html").glob("*.html"))),
    ("cppreference", "MediaWiki export", lambda: sorted(Path("/usr/share/cppreference/doc/html/en").rglob("*.html"))),
    ("zsh", "Yodl/texi2html", lambda: sorted((DOC / "zsh-common/html").glob("*.html"))),
    ("groff-pic", "grohtml", lambda: sorted((DOC / "groff-base/html").glob("pic-*.html"))),
    ("zsh.pdf", "texinfo PDF", lambda: [DOC / "zsh-common/zsh.pdf"]),
    ("mom-pdf.pdf", "groff mom, gropdf", lambda: _gunzipped(DOC / "groff-base/pdf/mom-pdf.pdf.gz")),
    ("pdfmark.pdf", "groff ms, gropdf", lambda: _gunzipped(DOC / "groff-base/pdf/pdfmark.pdf.gz")),
    ("automake-groff.pdf", "groff mom, gropdf", lambda: _gunzipped(DOC / "groff-base/pdf/automake.pdf.gz")),
]


# Round 7 (session 5, after html6 was merged): more sites installed then (libboost1.81-doc,
# libgtk-4-doc, mutt, bind9-doc), only measured (``--round7-held-out``), never read.
ROUND7_HELD_OUT = [
    ("boost", "BoostBook/QuickBook", lambda: sorted((DOC / "libboost1.81-doc/doc/html").rglob("*.html"))),
    ("gtk4", "gi-docgen", lambda: sorted((DOC / "libgtk-4-doc/gtk4").glob("*.html"))),
    ("mutt", "DocBook XSL", lambda: sorted((DOC / "mutt/html").glob("*.html"))),
    ("bind9-arm", "Sphinx (docutils 0.19)", lambda: sorted((DOC / "bind9-doc/arm").glob("*.html"))),
]


# Round 7 PDFs with mathematics (session 5): installed then (pari-doc, libflint-doc, libmpfr-doc,
# r-doc-pdf) and only measured (``--math-held-out-7``), never read while changing code; the
# round-4 ``--math`` set became the development set of that round.
MATH_HELD_OUT_7 = [
    ("pari-tutorial.pdf", "plain TeX", lambda: [Path("/usr/share/pari/doc/tutorial.pdf")]),
    ("pari-develop.pdf", "plain TeX", lambda: [Path("/usr/share/pari/doc/develop.pdf")]),
    ("flint.pdf", "Sphinx LaTeX PDF", lambda: _gunzipped(DOC / "libflint-dev/Flint.pdf.gz")),
    ("mpfr.pdf", "texinfo PDF", lambda: _gunzipped(DOC / "libmpfr-doc/mpfr.pdf.gz")),
    ("R-intro.pdf", "texinfo PDF", lambda: [Path("/usr/share/R/doc/manual/R-intro.pdf")]),
]



# Round 8 PDFs with mathematics (session 5): installed after round 7 was merged (octave-doc,
# maxima-doc) and only measured (``--math-held-out-8``); round 7's held-out PDFs became the
# development set of round 8.
MATH_HELD_OUT_8 = [
    ("liboctave.pdf", "texinfo PDF", lambda: [DOC / "octave/liboctave.pdf"]),
    ("octave.pdf", "texinfo PDF (1158 pages)", lambda: [DOC / "octave/octave.pdf"]),
    ("maximabook.pdf", "LaTeX (pdfTeX 1.10b)", lambda: _gunzipped(DOC / "maxima-doc/maximabook-19-Sept-2004.pdf.gz")),
]


# Round 9 PDFs with mathematics (session 5): installed after round 8 was merged (gap-doc,
# texlive-science-doc) and only measured (``--math-held-out-9``); round 8's held-out PDFs became
# the development set of round 9.
_TEXDOC = DOC / "texlive-doc/latex"
MATH_HELD_OUT_9 = [
    ("gap-tutorial.pdf", "GAPDoc LaTeX", lambda: [Path("/usr/share/gap/doc/tut/manual.pdf")]),
    ("physics.pdf", "LaTeX package doc", lambda: [_TEXDOC / "physics/physics.pdf"]),
    ("derivative.pdf", "LuaLaTeX package doc", lambda: [_TEXDOC / "derivative/derivative.pdf"]),
    ("clrscode3e.pdf", "LaTeX via Ghostscript", lambda: [_TEXDOC / "clrscode3e/clrscode3e.pdf"]),
    ("mhchem.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mhchem/mhchem.pdf"]),
]


# Round 10 PDFs (pdf10): chosen before opening any by a fixed rule: the first four directories
# of texlive-doc/latex after 'm' alphabetically holding exactly one PDF of 5-40 pages (pdfinfo),
# and only measured (``--math-held-out-10``); round 9's held-out PDFs became the development set.
MATH_HELD_OUT_10 = [
    ("mathcommand.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mathcommand/mathcommand.pdf"]),
    ("mathfixs.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mathfixs/mathfixs.pdf"]),
    ("mathpartir.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mathpartir/mathpartir.pdf"]),
    ("mathsemantics.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mathsemantics/mathsemantics-documentation.pdf"]),
]


# Round 12 PDFs (pdf12): chosen and committed before opening any, by a fixed rule, and only measured
# (``--math-held-out-12``); round 10's held-out PDFs became the development set of round 12.
# - the first four directories of texlive-doc/latex alphabetically after "mathsemantics" holding
#   exactly one PDF of 5-40 pages (pdfinfo): matlab-prettifier (37), mecaso (30),
#   membranecomputing (9), memorygraphs (5);
# - the first two paths (sorted) of ``find /usr/share/doc -name '*.pdf'`` outside texlive-doc whose
#   package folder (first level under /usr/share/doc) no bench list names, that are not a link to a
#   listed file, with 10-200 pages: r-doc-pdf's R-FAQ.pdf (52) and R-admin.pdf (85). Caveat: they are
#   links into /usr/share/R/doc/manual, the folder of R-intro.pdf (``--math-held-out-7``, round 8's
#   development file), so they share its generator (R's texinfo); no other folder qualified.
MATH_HELD_OUT_12 = [
    ("matlab-prettifier.pdf", "LaTeX package doc", lambda: [_TEXDOC / "matlab-prettifier/matlab-prettifier.pdf"]),
    ("mecaso.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mecaso/mecaso.pdf"]),
    ("membranecomputing.pdf", "LaTeX package doc", lambda: [_TEXDOC / "membranecomputing/membranecomputing.pdf"]),
    ("memorygraphs.pdf", "LaTeX package doc", lambda: [_TEXDOC / "memorygraphs/memorygraphs.pdf"]),
    ("R-FAQ.pdf", "texinfo PDF (R)", lambda: [DOC / "r-doc-pdf/manual/R-FAQ.pdf"]),
    ("R-admin.pdf", "texinfo PDF (R)", lambda: [DOC / "r-doc-pdf/manual/R-admin.pdf"]),
]

def markdown_files(first: str, last: str) -> list[Path]:
    """``*.md``, ``*.md.gz``, ``*.markdown`` under /usr/share/doc whose package folder name starts
    with a letter in *first*..*last* (Markdown round, md7); gzipped ones decompressed once into the
    temp folder (kept under their package's relative path: many packages ship a ``README.md.gz``)."""
    import gzip
    import os
    import tempfile

    out_dir = Path(tempfile.gettempdir()) / "fineflow-bench" / "markdown"
    found: list[Path] = []
    for root, _dirs, names in os.walk(DOC):  # does not follow symlinked folders (no file twice)
        rel = Path(root).relative_to(DOC)
        if not rel.parts or not (first <= rel.parts[0][:1].lower() <= last):
            continue
        for name in names:
            path = Path(root) / name
            if name.endswith((".md", ".markdown")) and path.is_file():
                found.append(path)
            elif name.endswith(".md.gz") and path.is_file():
                out = out_dir / rel / name[:-3]
                if not out.is_file():
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(gzip.decompress(path.read_bytes()))
                found.append(out)
    return sorted(found)


# Markdown files in the wild (md7): package folders a–l are the development half (``--markdown``),
# m–z the held-out half (``--markdown-held-out``, measured only). Every file is measured.
MARKDOWN_DEV = [("markdown a-l", "Markdown", lambda: markdown_files("a", "l"))]
MARKDOWN_HELD_OUT = [("markdown m-z", "Markdown", lambda: markdown_files("m", "z"))]


def _generated_html(kind: str, names: list[str], command) -> list[Path]:
    """HTML pages made once into the temp folder (``fineflow-bench/<kind>/<name>.html``) by
    *command(name) -> bytes | None* (None or no ``<html`` in the output: left out)."""
    import tempfile

    found = []
    for name in names:
        out = Path(tempfile.gettempdir()) / "fineflow-bench" / kind / f"{name}.html"
        if not out.is_file():
            html = command(name)
            if not html or b"<html" not in html[:3000].lower():
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(html)
        found.append(out)
    return found


def _mandoc(page: str) -> bytes | None:
    """Man page *page* set by mandoc's HTML output (``mandoc -Thtml``; Debian ``mandoc``)."""
    src = subprocess.run(["man", "-w", page], capture_output=True, text=True).stdout.strip()
    return subprocess.run(["mandoc", "-Thtml", src], capture_output=True).stdout if src else None


_POD_DIR = Path("/usr/share/perl/5.36.0/pod")


def _pod2html(name: str) -> bytes | None:
    """Perl's ``<name>.pod`` (Debian ``perl-doc``) through ``pod2html`` (Pod::Html, perl's own)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:  # pod2html writes a cache of its link index
        return subprocess.run(["pod2html", f"--infile={_POD_DIR / (name + '.pod')}", f"--cachedir={tmp}",
                               "--quiet"], capture_output=True).stdout


def _pydoc(module: str) -> bytes | None:
    """Python's ``pydoc`` HTML page of standard-library *module* (``python -m pydoc -w``, this interpreter)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pydoc", "-w", module], cwd=tmp, capture_output=True)
        out = Path(tmp) / f"{module}.html"
        return out.read_bytes() if out.is_file() else None


def _pods() -> list[str]:
    """40 of the ``perl*.pod`` files of Debian's perl-doc, evenly spread over their sorted names."""
    return [p.stem for p in sample(sorted(_POD_DIR.glob("perl*.pod")), 40)]


_PYDOC_MODULES = ("abc argparse base64 bisect calendar collections configparser contextlib copy csv dataclasses "
                  "datetime decimal difflib enum fractions functools getopt gettext glob hashlib heapq hmac "
                  "html ipaddress itertools json logging operator optparse pathlib pickle queue random re "
                  "sched secrets shlex shutil statistics string textwrap threading timeit uuid zipfile").split()

# Round 9 (html9, session of 2026-12-07): generators no earlier round measured, installed then
# (asciidoctor-doc, docutils-doc, putty-doc, mandoc, perl-doc; gap-doc was there) or made by
# the generator from installed sources (mandoc, pod2html, pydoc). Split before any page was
# opened, by a rule fixed in advance: the seven sets sorted by name, alternately development
# (1st, 3rd, …) and held-out (2nd, 4th, …). ``--round9`` is the development half (read to find
# general causes); ``--round9-held-out`` is measured only, before and after, never read.
ROUND9_DEV = [
    ("asciidoctor-api", "RDoc 6 (darkfish)", lambda: sorted((DOC / "asciidoctor-doc/html").rglob("*.html"))),
    ("gap-ref", "GAPDoc", lambda: sorted(Path("/usr/share/gap/doc/ref").glob("*.html"))),
    ("perl-pod", "pod2html (Pod::Html)", lambda: _generated_html("perl-pod", _pods(), _pod2html)),
    ("pydoc-stdlib", "pydoc -w", lambda: _generated_html("pydoc", list(_PYDOC_MODULES), _pydoc)),
]
ROUND9_HELD_OUT = [
    ("docutils-doc", "docutils (rst2html)", lambda: sorted((DOC / "docutils-doc").rglob("*.html"))),
    ("mandoc-man", "mandoc -Thtml", lambda: _generated_html("mandoc-man", ["find", "tar", "grep", "ssh", "sed",
                                                                            "make", "gzip"], _mandoc)),
    ("putty", "Halibut", lambda: sorted((DOC / "putty-doc").glob("*.html"))),
]

def _pandoc_man(page: str) -> bytes | None:
    """Man page *page* converted by pandoc to a standalone HTML page (``pandoc -f man -t html -s``;
    Debian ``pandoc``)."""
    import gzip

    src = subprocess.run(["man", "-w", page], capture_output=True, text=True).stdout.strip()
    if not src:
        return None
    roff = gzip.decompress(Path(src).read_bytes()) if src.endswith(".gz") else Path(src).read_bytes()
    return subprocess.run(["pandoc", "-f", "man", "-t", "html", "-s", "--metadata", f"title={page}"],
                          input=roff, capture_output=True).stdout


def _yard_rake() -> list[Path]:
    """Rake's Ruby sources (Debian ``rake``, its gem folder under rubygems-integration) documented by YARD (``yard doc``, Debian ``yard``),
    made once into the temp folder; every page of the output."""
    import tempfile

    out = Path(tempfile.gettempdir()) / "fineflow-bench" / "yard-rake"
    libs = sorted(Path("/usr/share/rubygems-integration/all/gems").glob("rake-*/lib"))
    if not out.is_dir() and libs:
        subprocess.run(["yard", "doc", "--no-save", "--no-stats", "-q", "-o", str(out), "rake.rb", "rake/**/*.rb"],
                       cwd=libs[-1], capture_output=True)
    return sorted(out.rglob("*.html"))


# Round 10 (html10, session of 2026-12-07 afternoon): generators no earlier round measured, chosen
# by generator name before any page was opened and installed then (libghc-optparse-applicative-doc,
# pandoc, yard). Measured only (``--round10-held-out``), before and after, never read;
# round 9's held-out half is round 10's development set.
ROUND10_HELD_OUT = [
    ("optparse-applicative", "Haddock", lambda: sorted((DOC / "libghc-optparse-applicative-doc/html").glob("*.html"))),
    ("pandoc-man", "pandoc -s (from man)", lambda: _generated_html("pandoc-man", ["ls", "cp", "chmod", "date", "xargs",
                                                                               "diff", "less"], _pandoc_man)),
    ("yard-rake", "YARD", _yard_rake),
]

# Round 11 (html11): Haddock pages other than the development set (optparse-applicative of
# ``--round10-held-out``), read to check that round 11's rules generalise (``--haddock-ghc``; Debian
# ``ghc-doc``, installed in round 11).
HADDOCK_GHC = [
    (lib.split("-")[0], "Haddock (ghc-doc)", lambda lib=lib: sorted((DOC / "ghc-doc/html/libraries" / lib).glob("*.html")))
    for lib in ("base-4.15.1.0", "containers-0.6.4.1", "directory-1.3.6.2")
]

# PDFs with an outline, read once more with the outline ignored (``--layout-vs-outline``): the
# outline is the author's own list of headings, so it scores the typography-only headings
# (recall: outline titles found as headings; precision: headings found that are outline titles).
EXTRA_OUTLINE_PDFS = [
    ("nettle.pdf", "texinfo PDF", lambda: _gunzipped(DOC / "nettle-dev/nettle.pdf.gz")),
    ("fontconfig-user.pdf", "LaTeX", lambda: _gunzipped(DOC / "fontconfig/fontconfig-user.pdf.gz")),
    ("debian-policy.pdf", "Sphinx xdvipdfmx", lambda: _gunzipped(DOC / "debian-policy/policy.pdf.gz")),
    ("valgrind.pdf", "DocBook FOP", lambda: _gunzipped(DOC / "valgrind/valgrind_manual.pdf.gz")),
]
_NUMBER = __import__("re").compile(r"^(?:(?:chapter|appendix|part|section)\s+)?(?:[a-z]|\d+)(?:\.\d+)*\.?\s+")


def _title_key(title: str) -> str:
    import re

    t = " ".join(title.split()).lower()
    return re.sub(r"[\W_]+", "", _NUMBER.sub("", t)) or re.sub(r"[\W_]+", "", t)


def layout_vs_outline(path: Path) -> dict:
    """Recall and precision of the typography-only headings of *path* against its outline."""
    import pypdfium2 as pdfium

    from fineflow_desktop.core.ingest.pdf import parse_pdf

    doc = pdfium.PdfDocument(str(path))
    outline = {_title_key(item.get_title() or "") for item in doc.get_toc(max_depth=16)} - {""}
    doc.close()
    t0 = time.perf_counter()
    parsed = parse_pdf(path, path.read_bytes(), use_outline=False)
    seconds = time.perf_counter() - t0
    found = {_title_key(h) for sec in parsed.sections for h in sec.heading_path} - {""}
    hit = outline & found
    return {"outline": len(outline), "found": len(found), "recall": len(hit) / max(len(outline), 1),
            "precision": len(found & outline) / max(len(found), 1), "seconds": seconds}


def sample(files: list[Path], n: int) -> list[Path]:
    """Up to *n* files evenly spread over *files* (deterministic)."""
    files = [f for f in files if f.is_file()]
    if len(files) <= n:
        return files
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


RAW_PDF_REFERENCE = False  # --raw-pdf-reference: pdftotext's default order only (the first round's reference)


def page_reference(path: Path) -> tuple[set, set]:
    """(word 4-grams, words) of the page's own text (see the module docstring)."""
    if path.suffix == ".pdf":
        grams, vocab = set(), set()
        # pdftotext's reading order (columns of a table one after the other) and its -layout
        # order (rows as printed): a table read row by row is the page's text as much as by column
        modes = [[]] if RAW_PDF_REFERENCE else [[], ["-layout"]]
        for mode in modes:
            text = subprocess.run(["pdftotext", *mode, "-enc", "UTF-8", str(path), "-"],
                                  capture_output=True, text=True).stdout
            toks = words(text.replace("-\n", ""))
            grams |= ngram_set(toks) | ngram_set(words(text))
            vocab |= set(toks)
            if not mode and not RAW_PDF_REFERENCE:
                # round 18: a sentence that runs on over a page break reads across the page's
                # running footer and the next page's header in pdftotext ("that exactly the" / 27 /
                # "same value of"); the parser drops those. Also read the text without them
                grams |= ngram_set(words(without_page_edges(text).replace("-\n", "")))
        return grams, vocab
    if path.suffix == ".docx":  # the text runs of every paragraph of word/document.xml
        import zipfile

        from lxml import etree

        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
        paras = ["".join(t.text or "" for t in p.iter(w + "t")) for p in body.iter(w + "p")]
        toks = words("\n".join(paras))
        return ngram_set(toks), set(toks)
    from lxml import html as lxml_html

    data = path.read_bytes()
    if path.suffix in (".md", ".markdown"):  # the text a renderer shows: markdown-it-py's HTML
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        data = ('<html><head><meta charset="utf-8"></head><body>' + md.render(data.decode("utf-8", errors="replace"))
                + "</body></html>").encode()
    head = data[:2048].lower()
    if b"charset" not in head and b"encoding=" not in head:
        # round 20: a page that declares no charset is read by libxml2 as Latin-1, where browsers'
        # detectors and the parser (``textdecode.decode_bytes``) read valid UTF-8 as UTF-8 (texlive's
        # readme.ja.html, a fragment without <head>: every Japanese chunk scored 0-3%)
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    root = lxml_html.document_fromstring(data)
    tight, spaced = words("".join(root.itertext())), words(" ".join(root.itertext()))
    grams, vocab = ngram_set(tight) | ngram_set(spaced), set(tight) | set(spaced)
    # Round 12: a line-number gutter (a <pre> of only digits beside the code, YARD's and Pygments'
    # source tables) is a column the browser draws apart, and the parser drops it; read the page
    # without it too, or the words around every listing lose their 4-grams (YARD 93.0% → 99.8%)
    gutters = [pre for pre in root.iter("pre") if re.fullmatch(r"[\d\s]+", pre.text_content() or "")]
    if gutters:
        for pre in gutters:
            pre.drop_tree()  # keeps its tail text
        tight, spaced = words("".join(root.itertext())), words(" ".join(root.itertext()))
        grams |= ngram_set(tight) | ngram_set(spaced)
    return grams, vocab


def measure(files: list[Path], sections_of) -> dict:
    """Run *sections_of(path) -> list[Section]* over *files* and compute the metrics."""
    stored = failed = chunks = heading = torn = brk = marks = lead = labels = tiny = 0
    by_page: list[list[str]] = []
    fid_sum = 0.0
    seconds = 0.0
    size = 0
    for path in files:
        size += path.stat().st_size
        t0 = time.perf_counter()
        try:
            drafts = chunk_sections(sections_of(path), 512, 64)
        except (ParseError, Exception):  # noqa: BLE001 - a failure is counted, not fatal
            drafts = []
        seconds += time.perf_counter() - t0
        if not drafts:
            failed += 1
            continue
        stored += 1
        grams, vocab = page_reference(path)
        by_page.append([d.text for d in drafts])
        for d in drafts:
            lead += d.meta.get("part", 1) < d.meta.get("parts", 1) and ends_on_lead_in(d.text)
            labels += is_label_only(d.text)
            tiny += d.n_tokens < TINY_TOKENS
            chunks += 1
            heading += bool(d.heading_path)
            torn += has_torn_fragment(d.text)
            brk += has_break_in_sentence(d.text)
            marks += glued_note_marks(d.text)
            fid_sum += (combined_fidelity(d.text, d.meta["combined"], grams, vocab) if d.meta.get("combined")
                        else fidelity(d.text, grams, vocab))
    n = max(chunks, 1)
    repeated = repeated_texts(by_page)
    rep = sum(t in repeated for texts in by_page for t in texts)
    return {"stored": stored, "failed": failed, "chunks": chunks, "heading": heading / n, "torn": torn / n,
            "brk": brk / n, "fid": fid_sum / n, "s_per_mb": seconds / max(size / 1e6, 1e-9), "marks": marks,
            "lead": lead / n, "label": labels / n, "rep": rep / n, "tiny": tiny / n}


def pipeline_sections(path: Path) -> list[Section]:
    """The registered parser, as ``fineflow ingest`` runs it."""
    return parse_file(path).sections


def _markdown_sections(md: str) -> list[Section]:
    from fineflow_desktop.core.ingest.markdown_html import markdown_sections

    return markdown_sections(md)[0]


def _plain(text: str) -> list[Section]:
    return [Section([], text)] if text and text.strip() else []


def other_extractors() -> dict:
    """Name → sections_of for the comparison (``--compare``)."""
    def trafilatura(path):
        from html_trafilatura import parse_html_trafilatura  # bench/: a comparison point, not an app parser

        return parse_html_trafilatura(path, path.read_bytes()).sections

    def readability(path):
        from readability import Document

        from fineflow_desktop.core.ingest.html_main import html_document_sections

        return html_document_sections(path, Document(path.read_text(errors="replace")).summary())[0]

    def html_text(path):
        import html_text as ht

        return _plain(ht.extract_text(path.read_text(errors="replace"), guess_layout=True))

    def inscriptis(path):
        from inscriptis import get_text

        return _plain(get_text(path.read_text(errors="replace")))

    def markdownify(path):
        from markdownify import markdownify as md

        return _markdown_sections(md(path.read_text(errors="replace"), heading_style="ATX"))

    def html2text(path):
        import html2text as h2t

        conv = h2t.HTML2Text()
        conv.body_width = 0
        return _markdown_sections(conv.handle(path.read_text(errors="replace")))

    return {"trafilatura": trafilatura, "readability-lxml": readability, "html-text": html_text,
            "inscriptis": inscriptis, "markdownify": markdownify, "html2text": html2text}


def pdf_extractors() -> dict:
    """Name → sections_of for ``--pdf-compare``: one section per page, no headings."""
    def pypdf(path):
        from pypdf import PdfReader

        return [Section([], p.extract_text() or "") for p in PdfReader(path).pages]

    def pdfium(path):
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        return [Section([], doc[i].get_textpage().get_text_range()) for i in range(len(doc))]

    def pdfminer(path):
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LTTextContainer

        return [Section([], "\n\n".join(el.get_text() for el in page if isinstance(el, LTTextContainer)))
                for page in extract_pages(str(path))]

    return {"pypdf (raw)": pypdf, "pypdfium2 (raw)": pdfium, "pdfminer.six (raw)": pdfminer}


def row(name: str, gen: str, approach: str, m: dict) -> str:
    return (f"{name:<20} {gen:<17} {approach:<19} {m['stored']:>4}/{m['failed']:<3} {m['chunks']:>6} "
            f"{m['heading']:>7.1%} {m['torn']:>6.2%} {m['brk']:>6.1%} {m['fid']:>6.1%} {m['s_per_mb']:>6.2f}")


def chunk_row(name: str, m: dict) -> str:
    """The chunk measures of round 19 on a line of their own under the corpus's row (the row's
    columns keep their meaning): ``lead`` chunks that end on a lead-in before their section's next
    part (``doc_metrics.ends_on_lead_in``), ``label`` chunks that are only labels
    (``is_label_only``), ``rep`` chunks whose text recurs on a fifth of the pages (site furniture,
    ``repeated_texts``), ``tiny`` chunks under ``TINY_TOKENS`` tokens; shares of the chunks."""
    return (f"{name:<20} chunk measures:   lead {m['lead']:>6.2%}  label {m['label']:>6.2%}  rep {m['rep']:>6.2%}"
            f"  tiny {m['tiny']:>6.2%}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=40, help="pages sampled per corpus")
    ap.add_argument("--compare", action="store_true", help="also run the other HTML extractors")
    ap.add_argument("--pdf-compare", action="store_true", help="also run pypdf/pypdfium2/pdfminer raw text")
    ap.add_argument("--only", default=None, help="only corpora whose name contains this")
    ap.add_argument("--held-out", action="store_true", help="the held-out corpora instead of the development ones")
    ap.add_argument("--no-outline", action="store_true", help="the PDFs without an outline instead")
    ap.add_argument("--math", action="store_true", help="the held-out PDFs with mathematics instead (round 4)")
    ap.add_argument("--round5", action="store_true", help="round 5's new generators, development half")
    ap.add_argument("--round5-held-out", action="store_true", help="round 5's new generators, held-out half")
    ap.add_argument("--round6-held-out", action="store_true", help="round 6's held-out generators (measured only)")
    ap.add_argument("--round7-held-out", action="store_true", help="round 7's held-out sites (measured only)")
    ap.add_argument("--math-held-out-7", action="store_true", help="round 7's held-out PDFs with mathematics (measured only)")
    ap.add_argument("--math-held-out-8", action="store_true", help="round 8's held-out PDFs with mathematics (measured only)")
    ap.add_argument("--math-held-out-9", action="store_true", help="round 9's held-out PDFs with mathematics (measured only)")
    ap.add_argument("--math-held-out-10", action="store_true", help="round 10's held-out LaTeX package PDFs (measured only)")
    ap.add_argument("--math-held-out-12", action="store_true", help="round 12's held-out PDFs (measured only)")
    ap.add_argument("--math-held-out-13", action="store_true", help="round 13's held-out PDFs (measured only)")
    ap.add_argument("--math-held-out-15", action="store_true", help="round 15's held-out PDFs (measured only)")
    ap.add_argument("--no-outline-held-out-16", action="store_true", help="round 16's held-out PDFs without an outline (measured only)")
    ap.add_argument("--footnotes-held-out-17", action="store_true", help="round 17's held-out PDFs with footnotes (measured only)")
    ap.add_argument("--math-held-out-18", action="store_true", help="round 18's held-out LaTeX package PDFs (measured only)")
    ap.add_argument("--pdf-held-out-19", action="store_true", help="round 19's held-out LaTeX package PDFs (measured only)")
    ap.add_argument("--pdf-held-out-20", action="store_true", help="round 20's held-out LaTeX package PDFs (measured only)")
    ap.add_argument("--markdown", action="store_true", help="Markdown under /usr/share/doc, packages a-l (all files)")
    ap.add_argument("--markdown-held-out", action="store_true", help="Markdown, packages m-z (measured only)")
    ap.add_argument("--grohtml-man", action="store_true", help="7 man pages through groff -Thtml (measured only)")
    ap.add_argument("--round9", action="store_true", help="round 9's new generators, development half (html9)")
    ap.add_argument("--round9-held-out", action="store_true", help="round 9's new generators, held-out half (measured only)")
    ap.add_argument("--round10-held-out", action="store_true", help="round 10's new generators (measured only)")
    ap.add_argument("--haddock-ghc", action="store_true", help="ghc-doc's Haddock pages (round 11's generalisation check)")
    ap.add_argument("--round12", action="store_true", help="round 12's new generators, development half (html12)")
    ap.add_argument("--round12-held-out", action="store_true", help="round 12's new generators, held-out half (measured only)")
    ap.add_argument("--round13-held-out", action="store_true", help="round 13's new generators (measured only)")
    ap.add_argument("--round15-held-out", action="store_true", help="round 15's new generators (measured only)")
    ap.add_argument("--round16-held-out", action="store_true", help="round 16's new generators (measured only)")
    ap.add_argument("--html-held-out-18", action="store_true", help="round 18's held-out doc folders (measured only)")
    ap.add_argument("--html-held-out-19", action="store_true", help="round 19's held-out folders (measured only)")
    ap.add_argument("--html-held-out-20", action="store_true", help="round 20's held-out folders (measured only)")
    ap.add_argument("--chunks-held-out-19", action="store_true", help="round 19's held-out doc folders (measured only)")
    ap.add_argument("--chunks-held-out-20", action="store_true", help="round 20's held-out doc sub-folders (measured only)")
    ap.add_argument("--layout-vs-outline", action="store_true",
                    help="PDFs with an outline: typography-only headings scored against the outline")
    ap.add_argument("--note-marks", action="store_true",
                    help="add a last column: footnote marks glued to their text (doc_metrics.glued_note_marks, a count)")
    ap.add_argument("--raw-pdf-reference", action="store_true",
                    help="PDF fidelity against pdftotext's default reading order only")
    args = ap.parse_args()
    global RAW_PDF_REFERENCE
    RAW_PDF_REFERENCE = args.raw_pdf_reference
    if args.layout_vs_outline:
        print(f"{'corpus':<20} {'generator':<17} {'outline':>7} {'found':>6} {'recall':>7} {'precision':>9}")
        for name, gen, files_of in PDF_CORPORA + HELD_OUT_CORPORA + EXTRA_OUTLINE_PDFS:
            for path in [f for f in files_of() if f.suffix == ".pdf"]:
                m = layout_vs_outline(path)
                if m["outline"]:
                    print(f"{name:<20} {gen:<17} {m['outline']:>7} {m['found']:>6} {m['recall']:>7.1%} {m['precision']:>9.1%}",
                          flush=True)
        return
    print(f"{'corpus':<20} {'generator':<17} {'approach':<19} {'ok/fail':<8} {'chunks':>6} "
          f"{'heading':>7} {'torn':>6} {'brk':>6} {'fid':>6} {'s/MB':>6}" + (f" {'marks':>6}" if args.note_marks else ""))
    approaches = {"registered parser": pipeline_sections}
    corpora = (HTML_HELD_OUT_20 if args.html_held_out_20 else CHUNKS_HELD_OUT_20 if args.chunks_held_out_20 else CHUNKS_HELD_OUT_19 if args.chunks_held_out_19 else HTML_HELD_OUT_19 if args.html_held_out_19 else HTML_HELD_OUT_18 if args.html_held_out_18 else ROUND16_HELD_OUT if args.round16_held_out else ROUND15_HELD_OUT if args.round15_held_out else ROUND13_HELD_OUT if args.round13_held_out else ROUND12_DEV if args.round12 else ROUND12_HELD_OUT if args.round12_held_out
               else HADDOCK_GHC if args.haddock_ghc else ROUND10_HELD_OUT if args.round10_held_out else ROUND9_DEV if args.round9 else ROUND9_HELD_OUT if args.round9_held_out
               else GROHTML_MAN if args.grohtml_man else MARKDOWN_DEV if args.markdown else MARKDOWN_HELD_OUT if args.markdown_held_out
               else MATH_HELD_OUT_7 if args.math_held_out_7 else MATH_HELD_OUT_8 if args.math_held_out_8
               else MATH_HELD_OUT_9 if args.math_held_out_9
               else MATH_HELD_OUT_10 if args.math_held_out_10
               else MATH_HELD_OUT_12 if args.math_held_out_12
               else MATH_HELD_OUT_13 if args.math_held_out_13
               else MATH_HELD_OUT_15 if args.math_held_out_15
               else NO_OUTLINE_HELD_OUT_16 if args.no_outline_held_out_16
               else FOOTNOTES_HELD_OUT_17 if args.footnotes_held_out_17
               else MATH_HELD_OUT_18 if args.math_held_out_18
               else PDF_HELD_OUT_19 if args.pdf_held_out_19
               else PDF_HELD_OUT_20 if args.pdf_held_out_20
               else ROUND7_HELD_OUT if args.round7_held_out else ROUND6_HELD_OUT if args.round6_held_out else ROUND5_DEV if args.round5 else ROUND5_HELD_OUT if args.round5_held_out
               else MATH_HELD_OUT if args.math else NO_OUTLINE_CORPORA if args.no_outline else HELD_OUT_CORPORA if args.held_out
               else HTML_CORPORA + PDF_CORPORA)
    for name, gen, files_of in corpora:
        if args.only and args.only not in name:
            continue
        files = sample(files_of(), 10**6 if args.markdown or args.markdown_held_out else args.files)
        if not files:
            print(f"{name:<20} {gen:<17} (not installed)")
            continue
        todo = dict(approaches)
        if args.compare and (name, gen, files_of) in HTML_CORPORA:
            todo.update(other_extractors())
        if args.pdf_compare and (name, gen, files_of) in PDF_CORPORA:
            todo.update(pdf_extractors())
        for approach, fn in todo.items():
            m = measure(files, fn)
            print(row(name, gen, approach, m) + (f" {m['marks']:>6}" if args.note_marks else ""), flush=True)
            print(chunk_row(name, m), flush=True)



def _man2html(page: str) -> bytes | None:
    """Man page *page* converted by ``man2html`` (Debian ``man2html-base``, VH-Man2html); the CGI
    ``Content-type`` header it prints first is cut off."""
    src = subprocess.run(["man", "-w", page], capture_output=True, text=True).stdout.strip()
    if not src:
        return None
    roff = subprocess.run(["zcat", "-f", src], capture_output=True).stdout
    html = subprocess.run(["man2html"], input=roff, capture_output=True).stdout
    start = html.find(b"<")
    return html[start:] if start >= 0 else None


def _gunzipped_tree(folder: Path, kind: str) -> list[Path]:
    """Every ``*.html`` / ``*.html.gz`` under *folder*, the gzipped ones decompressed once into the
    temp folder (``fineflow-bench/<kind>/…``, their relative path kept)."""
    import gzip
    import tempfile

    out_dir = Path(tempfile.gettempdir()) / "fineflow-bench" / kind
    found = []
    for path in sorted(folder.rglob("*")):
        if path.name.endswith(".html") and path.is_file():
            found.append(path)
        elif path.name.endswith(".html.gz") and path.is_file():
            out = out_dir / path.relative_to(folder).with_suffix("")
            if not out.is_file():
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(gzip.decompress(path.read_bytes()))
            found.append(out)
    return found


def _generator_pages(marker: bytes) -> list[Path]:
    """HTML pages under /usr/share/doc whose first 4,000 bytes hold *marker* (a generator's
    ``<meta name="generator">`` content)."""
    import os

    found = []
    for root, _dirs, names in os.walk(DOC):
        for name in names:
            if name.endswith((".html", ".htm")):
                path = Path(root) / name
                try:
                    if marker in path.read_bytes()[:4000]:
                        found.append(path)
                except OSError:
                    continue
    return sorted(found)


# Round 12 (html12, session of 2026-12-07, second half): generators no earlier list measures,
# found by a scan of ``<meta name="generator">`` and package folders under /usr/share/doc
# (man2html-base installed then; the others were there). Split before any page was opened, by a
# rule fixed in advance: the four sets sorted by name, alternately development (1st, 3rd) and
# held-out (2nd, 4th). ``--round12`` is the development half (read to find general causes);
# ``--round12-held-out`` is measured only, before and after, never read.
ROUND12_DEV = [
    ("docbook-dsssl", "DocBook DSSSL (Jade)", lambda: _generator_pages(b"Modular DocBook HTML Stylesheet")),
    ("lynx-help", "hand-written (lynx)", lambda: _gunzipped_tree(DOC / "lynx-common", "lynx-help")),
]
ROUND12_HELD_OUT = [
    ("libxslt-api", "libxml2 site XSL", lambda: sorted((DOC / "libxslt1-dev/html").glob("*.html"))),
    ("man2html-man", "man2html (VH)", lambda: _generated_html("man2html-man", ["sort", "tail", "ln", "du", "rm",
                                                                               "touch", "stat"], _man2html)),
]


# Round 13 PDFs (pdf13): chosen and committed before opening any, by a fixed rule, and only measured
# (``--math-held-out-13``); round 12's held-out PDFs became the development set of round 13.
# - the first four directories of texlive-doc/latex alphabetically after "memorygraphs" holding
#   exactly one PDF of 5-40 pages (pdfinfo) and not named by a bench list (mhchem is skipped:
#   ``--math-held-out-9``): messagepassing (13), mflogo (5), miller (6), mismath (17);
# - the first two paths (sorted) of ``find /usr/share -name '*.pdf' -o -name '*.pdf.gz'`` outside
#   texlive-doc, /usr/share/texlive, /usr/share/texmf and R (r-doc-pdf, /usr/share/R), that no bench
#   list names and that are not a link to a listed file, with 10-200 pages: gap-doc's
#   gap/doc/hpc/manual.pdf (64) and pari-doc's pari/doc/INSTALL.pdf (11). Under /usr/share/doc
#   itself nothing qualified (autoconf.pdf.gz has 403 pages, bash-doc's PDFs link to bash's);
#   debian-reference.en.pdf has 261 pages, developers-reference.pdf is listed. Caveat: they share
#   their generators with gap-tutorial.pdf (GAPDoc) and pari-tutorial/pari-develop.pdf (plain TeX).
MATH_HELD_OUT_13 = [
    ("messagepassing.pdf", "LaTeX package doc", lambda: [_TEXDOC / "messagepassing/messagepassing.pdf"]),
    ("mflogo.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mflogo/mflogo.pdf"]),
    ("miller.pdf", "LaTeX package doc", lambda: [_TEXDOC / "miller/miller.pdf"]),
    ("mismath.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mismath/mismath.pdf"]),
    ("gap-hpc.pdf", "GAPDoc LaTeX", lambda: [Path("/usr/share/gap/doc/hpc/manual.pdf")]),
    ("pari-INSTALL.pdf", "plain TeX", lambda: [Path("/usr/share/pari/doc/INSTALL.pdf")]),
]


# Round 15 PDFs (pdf15): chosen and committed before opening any, by round 13's rule continued, and
# only measured (``--math-held-out-15``); ``--math-held-out-9`` and ``--math-held-out-13`` (derivative,
# physics, messagepassing, mismath) and glpk-gmpl were round 15's development set.
# - the first four directories of texlive-doc/latex alphabetically after "mismath" holding exactly
#   one PDF (``find -L``, subfolders included, as round 13 counted: it skipped mfpic4ode, one PDF at
#   the top and two in demo/) of 5-40 pages (pdfinfo) and not named by a bench list: mleftright
#   (10), mlist (24), mnotes (9), moderncv (10, its manual/moderncv_userguide.pdf). All four are
#   Debian texlive-latex-extra-doc. Caveat: with today's install (the machine was reset; TeX Live
#   2022.20230122) menu, menucard and menukeys (8, 6, 40 pages) also sort between "memorygraphs"
#   and "messagepassing", so round 13 saw a smaller texlive-doc/latex than this one.
# - the first two paths (sorted) of ``find /usr/share -name '*.pdf' -o -name '*.pdf.gz'`` outside
#   texlive-doc, /usr/share/texlive, /usr/share/texmf and R, that no bench list names and that are not
#   a link to a listed file, with 10-200 pages: pari-doc's pari/doc/parallel.pdf (13) and
#   pari/doc/tutorial-mf.pdf (43). As in round 13, every package folder under /usr/share/doc is
#   named by some list (glpk-doc, erlang-doc, asymptote, octave, groff-base, sqlite3, ghc-doc …),
#   and gap/doc/ref/manual.pdf (1483) and pari/doc/libpari.pdf (427) are too long. Caveat: both are
#   PARI's plain TeX, the generator of pari-tutorial/pari-develop/pari-INSTALL.
MATH_HELD_OUT_15 = [
    ("mleftright.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mleftright/mleftright.pdf"]),
    ("mlist.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mlist/mlist.pdf"]),
    ("mnotes.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mnotes/mnotes.pdf"]),
    ("moderncv.pdf", "LaTeX package doc", lambda: [_TEXDOC / "moderncv/manual/moderncv_userguide.pdf"]),
    ("pari-parallel.pdf", "plain TeX", lambda: [Path("/usr/share/pari/doc/parallel.pdf")]),
    ("pari-tutorial-mf.pdf", "plain TeX", lambda: [Path("/usr/share/pari/doc/tutorial-mf.pdf")]),
]


# Round 16 PDFs (pdf16): PDFs with NO outline, for the typography-only heading rules
# (``pdf_headings``); the rule was written and committed before the scan and before any page was
# opened; measured only (``--no-outline-held-out-16``), before and after, never read:
# - ``find -L /usr/share -name '*.pdf'`` (not ``.pdf.gz``), paths sorted, leaving out /usr/share/texlive,
#   /usr/share/texmf and R's folders (as round 15);
# - leave out every file that a bench list names or that is a link to one (resolved paths), and every
#   file in a package folder that a bench list already draws from (the folder: ``doc/<pkg>`` or
#   ``texlive-doc/<category>/<pkg>``; ``/usr/share/<pkg>`` outside doc);
# - keep a file when ``pdfinfo`` gives 5-100 pages and pypdf's ``PdfReader.outline`` is empty;
# - at most one file per package folder (the first by path); the first three such files are the list.
# The scan (2026-12-07, 18:03 UTC) found: texlive-doc/amstex/base/amsguide.pdf (34 pages),
# texlive-doc/bibtex/babelbib/tugboat-babelbib.pdf (10), texlive-doc/bibtex/base/btxdoc.pdf (16) — every
# earlier file outside texlive-doc sits in a folder a list draws from.
NO_OUTLINE_HELD_OUT_16 = [
    ("amsguide.pdf", "AMS-TeX doc", lambda: [DOC / "texlive-doc/amstex/base/amsguide.pdf"]),
    ("tugboat-babelbib", "TUGboat LaTeX", lambda: [DOC / "texlive-doc/bibtex/babelbib/tugboat-babelbib.pdf"]),
    ("btxdoc.pdf", "LaTeX (BibTeX doc)", lambda: [DOC / "texlive-doc/bibtex/base/btxdoc.pdf"]),
]


# Round 17 PDFs (pdf17): PDFs WITH FOOTNOTES, for the footnote rules (``pdf_notes``); development set
# maint-guide.pdf, glpk*.pdf (glpk-doc) and fhs-3.0.pdf (debian-policy/fhs). The rule was written and
# committed before the scan and before any page was opened; measured only (``--footnotes-held-out-17``),
# before and after, never read:
# - ``find -L /usr/share/doc -name '*.pdf' -o -name '*.pdf.gz'``, paths sorted;
# - leave out every file that a bench list names (the lists' own ``files_of``, ``.pdf.gz`` taken at its
#   source path; resolved paths, so links to a listed file go too) and every file in the development
#   set's folders (doc/maint-guide, doc/glpk-doc, doc/debian-policy);
# - keep a file when ``pdfinfo`` gives 5-150 pages and, in ``pdftotext`` (default order, UTF-8) output
#   split at form feeds, at least 3 pages have a *foot-note line* among their last 10 non-empty lines:
#   a line that starts with a number of 1-2 digits set against a capitalised word (``^[1-9][0-9]?[A-Z][a-z]``,
#   how pdftotext writes a raised mark before its note's first word) or with one of ``* ∗ † ‡`` set
#   against a letter;
# - at most one file per package folder (``doc/<pkg>``, or ``texlive-doc/<category>/<pkg>``), the first by
#   path; the list is the first two such files outside texlive-doc and the first three inside it.
# The scan (2026-12-07, 19:55 UTC; /tmp/pdf17/scan.py, names and counts printed, no text) found no file
# outside texlive-doc (pool: 4,971 paths, 70 named by a list); the same test over /usr/share outside
# doc, texlive and texmf (27 paths, pari/gap/R) found none either. The list is therefore the three inside:
# texlive-doc/fonts/knitting/knitting-doc.pdf (21 pages, 3 pages with a foot-note line),
# texlive-doc/latex/diffcoeff/diffcoeff.pdf (66, 5), texlive-doc/latex/media9/media9.pdf (37, 4).
FOOTNOTES_HELD_OUT_17 = [
    ("knitting-doc.pdf", "LaTeX font doc", lambda: [DOC / "texlive-doc/fonts/knitting/knitting-doc.pdf"]),
    ("diffcoeff.pdf", "LaTeX package doc", lambda: [_TEXDOC / "diffcoeff/diffcoeff.pdf"]),
    ("media9.pdf", "LaTeX package doc", lambda: [_TEXDOC / "media9/media9.pdf"]),
]


# Round 18 PDFs (pdf18): LaTeX package documentation with mathematics, for text fidelity; development
# set ``--math`` (glpk*.pdf) and ``--math-held-out-13`` (messagepassing, mismath). The rule was written
# and committed before the scan and before any page was opened; measured only (``--math-held-out-18``),
# before and after, never read. Round 15's rule continued:
# - the directories of texlive-doc/latex, sorted by name, after "moderncv" (the last of round 15);
# - keep a directory holding exactly one PDF (``find -L``, subfolders included, ``.pdf`` only) of 5-40
#   pages (pdfinfo), that no bench list names (resolved paths) and whose folder no list draws from;
# - the first four such directories are the list.
# The scan (2026-12-07, 22:05 UTC; names and page counts only) found moderntimeline (13 pages),
# modiagram (34, its modiagram_en.pdf), modref (11), monofill (9).
MATH_HELD_OUT_18 = [
    ("moderntimeline.pdf", "LaTeX package doc", lambda: [_TEXDOC / "moderntimeline/moderntimeline.pdf"]),
    ("modiagram.pdf", "LaTeX package doc", lambda: [_TEXDOC / "modiagram/modiagram_en.pdf"]),
    ("modref.pdf", "LaTeX package doc", lambda: [_TEXDOC / "modref/modref.pdf"]),
    ("monofill.pdf", "LaTeX package doc", lambda: [_TEXDOC / "monofill/monofill.pdf"]),
]


# Round 19 PDFs (pdf19): torn inline fragments and paragraph breaks inside a sentence; development set
# the PDF rows above those goals at session 11's start (moderncv, diffcoeff, media9, derivative,
# liboctave, maximabook, amsguide, btxdoc, pari-develop, mnotes, mathpartir, 4ti2). The rule was
# written and committed before the scan and before any page was opened; measured only
# (``--pdf-held-out-19``), before and after, never read. Round 18's rule continued:
# - the directories of texlive-doc/latex, sorted by name, after "monofill" (the last of round 18);
# - keep a directory holding exactly one PDF (``find -L``, subfolders included, ``.pdf`` only) of 5-40
#   pages (pdfinfo), that no bench list names (resolved paths) and whose folder no list draws from;
# - the first four such directories are the list.
# The scan (2026-12-08, 00:11 UTC; /tmp/pdf19/scan.py, names and page counts only) found moresize (11
# pages), moreverb (8), mparhack (14), mpgraphics (19).
PDF_HELD_OUT_19 = [
    ("moresize.pdf", "LaTeX package doc", lambda: [_TEXDOC / "moresize/moresize.pdf"]),
    ("moreverb.pdf", "LaTeX package doc", lambda: [_TEXDOC / "moreverb/moreverb.pdf"]),
    ("mparhack.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mparhack/mparhack.pdf"]),
    ("mpgraphics.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mpgraphics/mpgraphics.pdf"]),
]


# Round 20 PDFs (layout20): text fidelity below 98% and breaks inside a sentence; development set the
# PDF rows below 98% fidelity or above 5% brk in session 11's every-list output (physics, crc-doc,
# membranecomputing, knitting-doc, miller, mnotes, mecaso, modiagram, gap-hpc, maximabook; liboctave,
# pari-develop, moderncv, mathpartir). The rule was written and committed before the scan and before any
# page was opened; measured only (``--pdf-held-out-20``), before and after, never read. Round 19's rule
# continued, with eight folders:
# - the directories of texlive-doc/latex, sorted by name, after "mpgraphics" (the last of round 19);
# - keep a directory holding exactly one PDF (``find -L``, subfolders included, ``.pdf`` only) of 5-40
#   pages (pdfinfo), that no bench list names (resolved paths) and whose folder no list draws from;
# - the first eight such directories are the list.
# The scan (2026-12-08, 02:59 UTC; /tmp/l20/scan.py, round 19's scan from "mpgraphics" for eight; names and
# page counts only) found mpostinl (37 pages), msc (29), multenum (8, its multienum.pdf), multicap (6),
# multidef (6), multilang (28), multirow (32), mwe (22).
PDF_HELD_OUT_20 = [
    ("mpostinl.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mpostinl/mpostinl.pdf"]),
    ("msc.pdf", "LaTeX package doc", lambda: [_TEXDOC / "msc/msc.pdf"]),
    ("multienum.pdf", "LaTeX package doc", lambda: [_TEXDOC / "multenum/multienum.pdf"]),
    ("multicap.pdf", "LaTeX package doc", lambda: [_TEXDOC / "multicap/multicap.pdf"]),
    ("multidef.pdf", "LaTeX package doc", lambda: [_TEXDOC / "multidef/multidef.pdf"]),
    ("multilang.pdf", "LaTeX package doc", lambda: [_TEXDOC / "multilang/multilang.pdf"]),
    ("multirow.pdf", "LaTeX package doc", lambda: [_TEXDOC / "multirow/multirow.pdf"]),
    ("mwe.pdf", "LaTeX package doc", lambda: [_TEXDOC / "mwe/mwe.pdf"]),
]


# Round 13 (html13, session of 2026-12-07, second half): two generators no earlier list measures,
# chosen by generator telltales only (no page opened): Qt's qdoc (Debian ``qtbase5-doc-html``,
# installed with apt for this round; QtCore's pages) and Pod::Simple::HTMLBatch (lintian's API
# pages, its ``_podly.css``/``_podly.js`` files; Pod::Simple::HTML, not Pod::Html's renderer).
# Both are held out: measured before and after the round's change, never read.
ROUND13_HELD_OUT = [
    ("qdoc-qtcore", "qdoc (Qt 5.15)", lambda: sorted(Path("/usr/share/qt5/doc/qtcore").glob("*.html"))),
    ("lintian-api", "Pod::Simple::HTMLBatch", lambda: sorted((DOC / "lintian/api.html").rglob("*.html"))),
]


# Round 15 (html15, session 8, 2026-12-07): two HTML generators no bench list measures, chosen by a
# rule written (and committed) before the scan and before any page was opened; measured only
# (``--round15-held-out``), before and after, never read:
# - scan every ``*.html``/``*.htm`` under /usr/share (os.walk, symlinked folders not followed) for
#   ``<meta name="generator" content="X">`` (either attribute order, any case) in its first 4,000 bytes;
# - a generator's name is X cut before its first token holding a digit (the version), lower-cased;
# - leave out every name that some file of an existing bench list carries, and every name whose
#   first word names the generator column of an existing list (sphinx, doxygen, docbook, …);
# - the names with at least 10 pages, sorted; the first two are the held-out generators; each
#   corpus is the pages of that generator in the package folder (first level under /usr/share/doc,
#   else under /usr/share) holding most of them (ties: the first folder by name).
# The apt reinstall of the session's Debian doc packages finished before the scan.
# Step 1 found no generator left: names with >= 10 pages were all measured (asciidoc, docbook xsl,
# docutils, doxygen, groff -Thtml, makeinfo, modular docbook, rustdoc) or javadoc's own writers
# ("javadoc/sourcetohtmlconverter", 223; "javadoc/indexwriter", 29; "javadoc/modulewriterimpl", 60);
# the rest had < 10 (madoko 2, tex parser library 5, tth 1, amaya 1). Step 2 (written after step 1,
# still before any page was opened): the same scan for a generator comment or line in the first
# 4,000 bytes: "generated by X" / "created by X" / "produced by X" (any case, in a comment or text;
# X: the next words up to a token holding a digit or ending the phrase at "<", "-->", "," or
# "." + space), named and chosen as in step 1, excluding the names of step 1 and of every list.
# Step 2 found one unmeasured generator with >= 10 pages: HsColour (Haskell source as HTML, "<!--
# Generated by HsColour" in 1,430 pages, all in ghc-doc: the hyperlinked sources of its libraries,
# which ``--haddock-ghc`` does not take). Its other names were no generators (phrases of prose:
# "created by the", "produced by a request", "created by <a …>" author credits, each < 25 pages) or
# measured (haddock, gi-docgen, rdoc, doxygen, gnu texinfo, gtk-doc, javadoc, mdbook). Step 3 (written
# after step 2, no page opened): the second generator is one installed here that no list measures,
# run on installed sources as rounds 9-10 made theirs: Python-Markdown (``markdown_py``, Debian
# python3-markdown) on the Markdown files of ``--markdown`` (packages a-l), each wrapped in a
# minimal ``<html><body>`` page.
ROUND15_HELD_OUT = [
    ("hscolour-ghc", "HsColour (ghc-doc src)", lambda: sorted(p for p in (DOC / "ghc-doc/html/libraries").glob("*/src/*.html")
                                                                 if b"Generated by HsColour" in p.read_bytes()[:4000])),
    ("python-markdown", "Python-Markdown", lambda: _python_markdown_pages()),
]


def _python_markdown_pages() -> list[Path]:
    """The Markdown files of ``--markdown`` (``markdown_files("a", "l")``) through Python-Markdown
    (``markdown_py``), made once into the temp folder (``fineflow-bench/python-markdown``), each
    body wrapped in ``<html><head><meta charset="utf-8"><title>NAME</title></head><body>``."""
    import tempfile

    out_dir = Path(tempfile.gettempdir()) / "fineflow-bench" / "python-markdown"
    found = []
    for src in sample(markdown_files("a", "l"), 40):
        rel = src.relative_to(DOC) if src.is_relative_to(DOC) else Path(*src.parts[-2:])
        out = out_dir / (str(rel).replace("/", "__") + ".html")
        if not out.is_file():
            body = subprocess.run(["markdown_py", "-e", "utf-8", str(src)], capture_output=True).stdout
            if not body.strip():
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(b'<html><head><meta charset="utf-8"><title>' + src.name.encode() + b"</title></head><body>\n"
                            + body + b"\n</body></html>\n")
        found.append(out)
    return found



# Round 16 (html16, session 8, 2026-12-07, second round): two HTML generators no bench list
# measures, chosen by this rule, written and committed before any page was made or opened;
# measured only (``--round16-held-out``), before and after, never read:
# - the candidate converters, in the order the round's task names them: texi2html, makeinfo --html,
#   asciidoc, asciidoctor, rst2html5, pandoc (from a non-man source), javadoc;
# - drop those not installed here (``which``: texi2html, asciidoctor) and those whose writer a list
#   already measures (makeinfo --html: gettext/bashref; asciidoc: git; javadoc: commons-lang3);
#   docutils-doc (``--round9-held-out``) is docutils' html4css1 writer (its pages open with the
#   XHTML 1.0 doctype), so rst2html5's html5 writer is not measured;
# - the first two left are the held-out generators: rst2html5 (Debian python3-docutils) on the
#   reStructuredText files (``*.rst``, ``*.rst.gz``) under /usr/share/doc outside docutils-doc,
#   sorted by path, ``sample(…, 20)``; pandoc (``-f markdown -t html -s``) on the Markdown files
#   of ``--markdown-held-out`` (packages m-z; Python-Markdown took a-l), ``sample(…, 20)``. Each
#   made once into the temp folder; a source whose output has no ``<html`` is left out.
ROUND16_HELD_OUT = [
    ("rst2html5", "docutils rst2html5", lambda: _converted("rst2html5", _rst_files(), _rst2html5)),
    ("pandoc-markdown", "pandoc -s (from Markdown)",
     lambda: _converted("pandoc-markdown", sample(markdown_files("m", "z"), 20), _pandoc_markdown)),
]


def _rst_files() -> list[Path]:
    """``sample(…, 20)`` of the ``*.rst`` / ``*.rst.gz`` files under /usr/share/doc outside
    docutils-doc, sorted by path (os.walk; symlinked folders not followed)."""
    import os

    found = []
    for root, dirs, names in os.walk(DOC):
        dirs.sort()
        if Path(root).relative_to(DOC).parts[:1] == ("docutils-doc",):
            continue
        found += [Path(root) / n for n in sorted(names) if n.endswith((".rst", ".rst.gz"))]
    return sample(sorted(found), 20)


def _source_bytes(src: Path) -> bytes:
    import gzip

    data = src.read_bytes()
    return gzip.decompress(data) if src.name.endswith(".gz") else data


def _rst2html5(src: Path) -> bytes:
    """*src* through docutils' html5 writer (``rst2html5``); unknown (Sphinx) directives reported
    nowhere (``--report=5``) and never halting (``--halt=5``)."""
    return subprocess.run(["rst2html5", "--report=5", "--halt=5", "--input-encoding=utf-8:replace"],
                          input=_source_bytes(src), capture_output=True).stdout


def _pandoc_markdown(src: Path) -> bytes:
    """*src* through pandoc as a standalone page (``pandoc -f markdown -t html -s``, title = file name)."""
    return subprocess.run(["pandoc", "-f", "markdown", "-t", "html", "-s", "--metadata", f"title={src.name}"],
                          input=_source_bytes(src), capture_output=True).stdout


def _converted(kind: str, sources: list[Path], command) -> list[Path]:
    """*command(source) -> bytes* for each source, made once into ``fineflow-bench/<kind>/``
    (named by the source's path under /usr/share/doc or the temp folder); no ``<html``: left out."""
    by_name = {str(src.relative_to(DOC) if src.is_relative_to(DOC) else Path(*src.parts[-2:])).replace("/", "__"): src
               for src in sources}
    return _generated_html(kind, list(by_name), lambda name: command(by_name[name]))


# Round 18 (html18, session 10, 2026-12-07): HTML pages of package folders no bench list draws from,
# chosen by this rule, written and committed before the scan and before any page was opened;
# measured only (``--html-held-out-18``), before and after, never read:
# - candidates: the first-level folders of /usr/share/doc that are not links, sorted by name, from
#   the first name at or after "n" to the end, then wrapping round to the names before "n";
# - a folder's pages: every ``*.html`` / ``*.htm`` / ``*.html.gz`` under it (os.walk, symlinked
#   folders not followed; a ``.html.gz`` decompressed once into the temp folder), sorted by path;
# - leave out a folder when a bench list draws a file from it (resolved paths; a listed file under
#   the folder, or a page of the folder that resolves to a listed file): every list of this bench
#   (HTML and PDF lists, and ``--markdown``, whose a-l files were read in development; not
#   ``--markdown-held-out``, which only ever was measured) and ``bench_extract_docs.py``'s
#   ``--pairs-held-out-17`` (its pages' pairs were read);
# - keep a folder holding at least 5 pages; the first 3 kept are the list; each corpus is the
#   folder's pages, sampled like every list (40);
# - fallback, if fewer than 3 are kept: the same rule over the first-level folders of
#   /usr/share/gtk-doc/html, then of /usr/share/help/C, then of /usr/share (leaving out doc,
#   gtk-doc, help, texlive, texmf), each sorted by name, until 3 are kept.
# ``held_out_18_scan`` (below) runs the rule and prints folder names and page counts only.
# The scan (2026-12-07, 22:08 UTC, names and counts printed, no page opened) kept, from "n" on:
# openjdk-17-jre-headless (10,140 pages), python3-watchdog (15), texlive-base (14); no fallback needed.
HTML_HELD_OUT_18 = [
    (name, "doc folder (r18)", lambda name=name: _folder_pages(DOC / name))
    for name in ("openjdk-17-jre-headless", "python3-watchdog", "texlive-base")
]


def _folder_pages(folder: Path) -> list[Path]:
    """The pages of *folder* under the rule of ``--html-held-out-18``: ``*.html``/``*.htm`` and
    ``*.html.gz`` (decompressed once into ``fineflow-bench/html-held-out-18/<folder>/…``), by path."""
    import gzip
    import os
    import tempfile

    out_dir = Path(tempfile.gettempdir()) / "fineflow-bench" / "html-held-out-18" / folder.name
    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            if not path.is_file():
                continue
            if name.endswith((".html", ".htm")):
                found.append(path)
            elif name.endswith(".html.gz"):
                out = out_dir / path.relative_to(folder).with_suffix("")
                if not out.is_file():
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(gzip.decompress(path.read_bytes()))
                found.append(out)
    return sorted(found)


# Round 19 (chunks19, session 11, 2026-12-08): the chunk measures (``lead``, ``label``, ``tiny``) on doc
# folders no list draws from, chosen by this rule, written and committed before the scan and before
# any page was opened; measured only (``--chunks-held-out-19``), before and after, never read:
# - the rule of ``--html-held-out-18`` above (first-level folders of /usr/share/doc, not links, sorted
#   by name; pages as ``_folder_pages``; a folder a list draws from is left out), with three changes:
#   candidates from the first name at or after "c" to the end, then wrapping round to the names
#   before "c"; a folder is kept when it holds at least 10 pages; ``--html-held-out-18``'s folders
#   count as drawn from too (so they are left out);
# - the first 3 kept are the list; each corpus is the folder's pages, sampled like every list (40).
# ``held_out_18_scan(start="c", min_pages=10)`` runs the rule and prints folder names and page counts only.
# The scan (2026-12-08, 00:12 UTC, names and counts printed, no page opened) kept, from "c" on:
# debian-policy (44 pages), libffi8 (20), libflint-dev (94).
CHUNKS_HELD_OUT_19 = [
    (name, "doc folder (r19)", lambda name=name: _folder_pages(DOC / name))
    for name in ("debian-policy", "libffi8", "libflint-dev")
]


def held_out_18_scan(n: int = 3, start: str = "n", min_pages: int = 5) -> list[Path]:
    """Run the rule of ``--html-held-out-18`` (``start="c", min_pages=10``: ``--chunks-held-out-19``) and
    print each kept folder with its page count."""
    import bench_extract_docs as x

    every = [HTML_CORPORA, PDF_CORPORA, HELD_OUT_CORPORA, NO_OUTLINE_CORPORA, MATH_HELD_OUT, ROUND5_DEV,
             ROUND5_HELD_OUT, ROUND6_HELD_OUT, ROUND7_HELD_OUT, MATH_HELD_OUT_7, MATH_HELD_OUT_8, MATH_HELD_OUT_9,
             MATH_HELD_OUT_10, MATH_HELD_OUT_12, MATH_HELD_OUT_13, MATH_HELD_OUT_15, NO_OUTLINE_HELD_OUT_16,
             FOOTNOTES_HELD_OUT_17, MARKDOWN_DEV, GROHTML_MAN, ROUND9_DEV, ROUND9_HELD_OUT, ROUND10_HELD_OUT,
             HADDOCK_GHC, ROUND12_DEV, ROUND12_HELD_OUT, ROUND13_HELD_OUT, ROUND15_HELD_OUT, ROUND16_HELD_OUT,
             EXTRA_OUTLINE_PDFS, x.PAIRS_HELD_OUT_17] + ([HTML_HELD_OUT_18] if start != "n" else [])
    listed = {p.resolve() for corpora in every for _n, _g, files_of in corpora for p in files_of()}
    listed_dirs = {q for p in listed for q in p.parents}

    def drawn(folder: Path, pages: list[Path]) -> bool:
        real = folder.resolve()
        return real in listed_dirs or any(p.resolve() in listed for p in pages)

    def firsts(top: Path, skip: tuple = ()) -> list[Path]:
        if not top.is_dir():
            return []
        return [f for f in sorted(top.iterdir()) if f.is_dir() and not f.is_symlink() and f.name not in skip]

    docs = firsts(DOC)
    tops = ([f for f in docs if f.name >= start] + [f for f in docs if f.name < start]
            + firsts(Path("/usr/share/gtk-doc/html")) + firsts(Path("/usr/share/help/C"))
            + firsts(Path("/usr/share"), ("doc", "gtk-doc", "help", "texlive", "texmf")))
    kept = []
    for folder in tops:
        pages = _folder_pages(folder)
        if len(pages) >= min_pages and not drawn(folder, pages):
            print(f"{folder}  {len(pages)} pages", flush=True)
            kept.append(folder)
            if len(kept) == n:
                break
    return kept


# Round 19 (html19, session 11, 2026-12-08): a new held-out list, chosen by this rule, written and
# committed before the scan and before any page was opened; measured only (``--html-held-out-19``),
# before and after, never read:
# - candidates: the first-level folders of /usr/share/doc that are not links, sorted by name, from
#   the first name at or after "a" to the end (round 18 started at "n");
# - a folder's pages: as round 18 (``_folder_pages``: ``*.html`` / ``*.htm`` / ``*.html.gz``, by path);
# - leave out a folder when a bench list draws a file from it, as round 18, now with
#   ``--html-held-out-18`` among the lists, and counting the sources of the files a list copies into
#   the temp folder (gunzipped or converted: the first scan, names only, kept debian-policy,
#   lynx-common and maxima-doc, each drawn from that way; the scan was fixed and run again);
# - keep a folder holding at least 10 pages whose generator is in no list: its generator is the
#   first word (lower case, e.g. "sphinx", "doxygen", "docbook") of the ``content`` of the first
#   ``<meta name="generator" …>`` in the first 4,000 bytes of its first page by path ("none" when it
#   has none); leave it out when that word is the first word of the generator meta tag of any page
#   a bench HTML list draws (read from those pages' first 4,000 bytes) — "none" is never left out
#   on this count (hand-written pages have no tag);
# - the first 3 kept are the list; each corpus is the folder's pages, sampled like every list (40);
# - fallback, if fewer than 3 are kept: round 18's (gtk-doc, help, /usr/share).
# ``held_out_19_scan`` (below) runs the rule and prints folder names, generators and page counts only.
# The scan (2026-12-08, 00:12 UTC, names, generator words and counts printed, no page opened): no
# folder of /usr/share/doc is kept (the three with ≥ 10 pages and an unlisted generator are drawn
# from by a list); the fallback keeps /usr/share/gtk-doc/html/libxml2 (generator "libxml2", 49 pages)
# and /usr/share/javascript (none, 20 pages) and then runs out: the list has 2 corpora, not 3.
HTML_HELD_OUT_19 = [
    ("gtkdoc-libxml2", "libxml2 API (r19)", lambda: _folder_pages(Path("/usr/share/gtk-doc/html/libxml2"))),
    ("share-javascript", "doc folder (r19)", lambda: _folder_pages(Path("/usr/share/javascript"))),
]


_GENERATOR = __import__("re").compile(rb"""<meta\s+name=["']?generator["']?\s+content=["']([^"']*)""", 2)


def _generator_word(page: Path) -> str:
    """The first word, lower case, of *page*'s generator meta tag in its first 4,000 bytes ("none")."""
    try:
        head = page.read_bytes()[:4000]
    except OSError:
        return "none"
    m = _GENERATOR.search(head)
    words = m.group(1).decode("latin-1").split() if m else []
    return words[0].lower() if words else "none"


@contextlib.contextmanager
def _copied_sources():
    """While open, record in the list it yields the source files that lists copy into the temp
    folder (gunzipped, converted): a held-out scan counts them as drawn from (round 18's scan missed
    them: lynx-common, debian-policy's PDFs)."""
    sources: list[Path] = []
    g = globals()
    real = {k: g[k] for k in ("_gunzipped", "_gunzipped_tree", "_converted")}
    g["_gunzipped"] = lambda path: (sources.append(path), real["_gunzipped"](path))[1]
    g["_gunzipped_tree"] = lambda folder, kind: (sources.append(folder), real["_gunzipped_tree"](folder, kind))[1]
    g["_converted"] = lambda kind, srcs, command: (sources.extend(srcs), real["_converted"](kind, srcs, command))[1]
    try:
        yield sources
    finally:
        g.update(real)


def held_out_19_scan(n: int = 3) -> list[Path]:
    """Run the rule of ``--html-held-out-19`` and print each kept folder with its generator and page count."""
    import bench_extract_docs as x

    html_lists = [HTML_CORPORA, HELD_OUT_CORPORA, ROUND5_DEV, ROUND5_HELD_OUT, ROUND6_HELD_OUT, ROUND7_HELD_OUT,
                  MARKDOWN_DEV, GROHTML_MAN, ROUND9_DEV, ROUND9_HELD_OUT, ROUND10_HELD_OUT, HADDOCK_GHC, ROUND12_DEV,
                  ROUND12_HELD_OUT, ROUND13_HELD_OUT, ROUND15_HELD_OUT, ROUND16_HELD_OUT, HTML_HELD_OUT_18]
    every = html_lists + [PDF_CORPORA, NO_OUTLINE_CORPORA, MATH_HELD_OUT, MATH_HELD_OUT_7, MATH_HELD_OUT_8,
                          MATH_HELD_OUT_9, MATH_HELD_OUT_10, MATH_HELD_OUT_12, MATH_HELD_OUT_13, MATH_HELD_OUT_15,
                          NO_OUTLINE_HELD_OUT_16, FOOTNOTES_HELD_OUT_17, EXTRA_OUTLINE_PDFS, x.PAIRS_HELD_OUT_17]
    # Lists that copy their files into the temp folder (gunzipped, converted) draw from the sources:
    # record those as they are read (round 18's scan missed them: lynx-common, debian-policy's PDFs).
    with _copied_sources() as sources:
        files = {id(c): [p for _n, _g, files_of in c for p in files_of()] for c in every}
    listed = {p.resolve() for c in every for p in files[id(c)]} | {p.resolve() for p in sources}
    listed_dirs = {q for p in listed for q in p.parents}
    known = {_generator_word(p) for c in html_lists for p in files[id(c)]
             if p.suffix.lower() in (".html", ".htm", ".xhtml")} - {"none"}
    print("generators in the lists:", " ".join(sorted(known)), flush=True)
    def firsts(top: Path, skip: tuple = ()) -> list[Path]:
        if not top.is_dir():
            return []
        return [f for f in sorted(top.iterdir()) if f.is_dir() and not f.is_symlink() and f.name not in skip]

    tops = ([f for f in firsts(DOC) if f.name >= "a"] + firsts(Path("/usr/share/gtk-doc/html"))
            + firsts(Path("/usr/share/help/C")) + firsts(Path("/usr/share"), ("doc", "gtk-doc", "help", "texlive", "texmf")))
    kept = []
    for folder in tops:
        pages = _folder_pages(folder)
        if len(pages) < 10:
            continue
        real = folder.resolve()
        if real in listed or real in listed_dirs or any(p.resolve() in listed for p in pages):
            continue
        word = _generator_word(pages[0])
        if word in known:
            continue
        print(f"{folder}  generator {word}  {len(pages)} pages", flush=True)
        kept.append(folder)
        if len(kept) == n:
            break
    return kept


# Round 20 (chunks20, session 12, 2026-12-08): the combining of small sections, measured on doc folders
# no list draws from, chosen by this rule, written and committed before the scan and before any page
# was opened; measured only (``--chunks-held-out-20``), before and after, never read:
# - the rule of ``--chunks-held-out-19`` (first-level folders of /usr/share/doc, not links, sorted by
#   name; pages as ``_folder_pages``; a folder holding at least 10 pages), with three changes:
#   candidates from the first name at or after "m" to the end, then wrapping round to the names before
#   "m"; ``--chunks-held-out-19``'s and ``--html-held-out-19``'s folders count as drawn from too; and a
#   folder counts as drawn from also when a list copies a file of it into the temp folder (gunzipped or
#   converted; round 19's fix of the scan, ``held_out_19_scan``);
# - the first 3 kept are the list; each corpus is the folder's pages, sampled like every list (40).
# ``chunks_held_out_20_scan()`` runs the rule and prints folder names and page counts only.
# The first scan (2026-12-08, 03:00 UTC, names and counts only) kept nothing: every first-level folder
# with ≥ 10 pages is drawn from by some list. Amended before any page was opened: the candidates are
# the second-level folders (each first-level folder's sub-folders, not links, sorted by name; the
# first-level folders in the order above), with the same page count and the same "drawn from" test
# (a folder holding, at any depth, a file a list draws is left out).
# The scan (03:02 UTC, names and counts printed, no page opened) kept maint-guide/html (11 pages),
# maxima-doc/html (383), octave/liboctave.html (28).
CHUNKS_HELD_OUT_20 = [
    (name, "doc folder (r20)", lambda sub=sub: _folder_pages(DOC / sub))
    for name, sub in (("maint-guide-html", "maint-guide/html"), ("maxima-doc-html", "maxima-doc/html"),
                      ("liboctave-html", "octave/liboctave.html"))
]


def chunks_held_out_20_scan(n: int = 3, start: str = "m", min_pages: int = 10) -> list[Path]:
    """Run the rule of ``--chunks-held-out-20`` and print each kept folder with its page count."""
    import bench_extract_docs as x

    every = [HTML_CORPORA, PDF_CORPORA, HELD_OUT_CORPORA, NO_OUTLINE_CORPORA, MATH_HELD_OUT, ROUND5_DEV,
             ROUND5_HELD_OUT, ROUND6_HELD_OUT, ROUND7_HELD_OUT, MATH_HELD_OUT_7, MATH_HELD_OUT_8, MATH_HELD_OUT_9,
             MATH_HELD_OUT_10, MATH_HELD_OUT_12, MATH_HELD_OUT_13, MATH_HELD_OUT_15, NO_OUTLINE_HELD_OUT_16,
             FOOTNOTES_HELD_OUT_17, MARKDOWN_DEV, MARKDOWN_HELD_OUT, GROHTML_MAN, ROUND9_DEV, ROUND9_HELD_OUT,
             ROUND10_HELD_OUT, HADDOCK_GHC, ROUND12_DEV, ROUND12_HELD_OUT, ROUND13_HELD_OUT, ROUND15_HELD_OUT,
             ROUND16_HELD_OUT, EXTRA_OUTLINE_PDFS, x.PAIRS_HELD_OUT_17, HTML_HELD_OUT_18, MATH_HELD_OUT_18,
             PDF_HELD_OUT_19, HTML_HELD_OUT_19, CHUNKS_HELD_OUT_19]
    with _copied_sources() as sources:
        listed = {p.resolve() for corpora in every for _n, _g, files_of in corpora for p in files_of()}
    listed |= {p.resolve() for p in sources}
    listed_dirs = {q for p in listed for q in p.parents}
    docs = [f for f in sorted(DOC.iterdir()) if f.is_dir() and not f.is_symlink()]
    kept = []
    tops = [f for f in docs if f.name >= start] + [f for f in docs if f.name < start]
    seconds = [c for f in tops for c in sorted(f.iterdir()) if c.is_dir() and not c.is_symlink()]
    for folder in seconds:
        pages = _folder_pages(folder)
        if len(pages) < min_pages:
            continue
        real_dir = folder.resolve()
        if real_dir in listed or real_dir in listed_dirs or any(p.resolve() in listed for p in pages):
            continue
        print(f"{folder}  {len(pages)} pages", flush=True)
        kept.append(folder)
        if len(kept) == n:
            break
    return kept


# Round 20 (html20, session 12, 2026-12-08): a new held-out list, chosen by this rule, written and
# committed before the scan and before any page was opened; measured only (``--html-held-out-20``),
# before and after, never read:
# - candidates: the first-level folders of /usr/share/doc that are not links, sorted by name, from
#   "a"; then, as round 18's fallback, those of /usr/share/gtk-doc/html, /usr/share/help/C and
#   /usr/share (leaving out doc, gtk-doc, help, texlive, texmf, javascript);
# - a folder's pages: as round 18 (``_folder_pages``);
# - leave out a folder when any list draws from it: every module-level list of corpora (name,
#   generator, files) of this bench and of ``bench_extract_docs.py`` (so now ``--html-held-out-19``,
#   ``--chunks-held-out-19``, the PDF lists and the pairs lists too), resolved paths, counting the
#   sources of files a list copies into the temp folder (round 19's fix);
# - keep a folder holding at least 10 pages; no generator condition (round 19's left none in
#   /usr/share/doc); but a folder whose generator word (round 19's ``_generator_word`` of its first
#   page) equals that of a folder already kept is skipped, so the three differ in generator;
# - the first 3 kept are the list; each corpus is the folder's pages, sampled like every list (40);
# - fallback (added after the first scan, which printed one folder, gtk-doc's gdk3 "docbook", and ran
#   out; no page opened): if fewer than 3 are kept, the scan is run again in the same order without
#   the generator condition, adding folders not yet kept until 3 are;
# - second fallback (added after the second scan, which kept gdk3 only; no page opened): the folders
#   two levels under /usr/lib and /usr/share (``/usr/lib/<a>/<b>``, ``/usr/share/<a>/<b>``, not links),
#   sorted by path, under the same conditions without the generator one, until 3 are kept.
# ``html_held_out_20_scan`` (below) runs the rule and prints folder names, generator words and page counts only.
# - third change (after the second scan's texlive-readme measured exactly as ``--html-held-out-18``'s
#   texlive-base: its 14 pages are byte-identical copies, md5 checked, no page opened): leave out a
#   folder holding any page whose bytes equal those of an HTML page a list draws (sha256); the scan
#   is run again;
# - third fallback (that scan kept gdk3 alone; no page opened): the folders three levels under
#   /usr/share (``/usr/share/<a>/<b>/<c>``, not links), sorted by path, same conditions, until 3 are kept.
# The scans (2026-12-08, 02:55-03:10 UTC, names, generator words and counts printed, no page opened):
# /usr/share/gtk-doc/html/gdk3 (generator "docbook", 38 pages); then by the third fallback
# /usr/share/doc/asymptote/faq (none, 10 pages) and /usr/share/doc/asymptote/html ("makeinfo", 147
# pages; the HTML of the manual whose PDF ``--round5-held-out`` measures, never read as HTML).
HTML_HELD_OUT_20 = [
    ("gtkdoc-gdk3", "gtk-doc (r20)", lambda: _folder_pages(Path("/usr/share/gtk-doc/html/gdk3"))),
    ("asymptote-faq", "asymptote FAQ (r20)", lambda: _folder_pages(DOC / "asymptote/faq")),
    ("asymptote-html", "makeinfo (r20)", lambda: _folder_pages(DOC / "asymptote/html")),
]


def html_held_out_20_scan(n: int = 3) -> list[Path]:
    """Run the rule of ``--html-held-out-20`` and print each kept folder with its generator and page count."""
    import bench_extract_docs as x

    def corpora_lists(module) -> list:
        return [v for k, v in vars(module).items() if k.isupper() and k != "HTML_HELD_OUT_20"
                and isinstance(v, list) and v and all(isinstance(c, tuple) and len(c) == 3 and callable(c[2]) for c in v)]
    every = corpora_lists(sys.modules[__name__]) + corpora_lists(x)
    listed: set[Path] = set()
    with _copied_sources() as sources:
        for c in every:
            for _n, _g, files_of in c:
                try:
                    listed |= {p.resolve() for p in files_of()}
                except Exception as exc:  # noqa: BLE001 - a corpus not installed draws nothing
                    print(f"  ({_n}: {exc.__class__.__name__})", flush=True)
    listed |= {p.resolve() for p in sources}
    import hashlib

    def digest(p: Path) -> str:
        try:
            return hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError:
            return ""
    listed_bytes = {digest(p) for p in listed if p.suffix.lower() in (".html", ".htm", ".xhtml") and p.is_file()}
    listed_dirs = {q for p in listed for q in p.parents}

    def firsts(top: Path, skip: tuple = ()) -> list[Path]:
        if not top.is_dir():
            return []
        return [f for f in sorted(top.iterdir()) if f.is_dir() and not f.is_symlink() and f.name not in skip]

    tops = (firsts(DOC) + firsts(Path("/usr/share/gtk-doc/html")) + firsts(Path("/usr/share/help/C"))
            + firsts(Path("/usr/share"), ("doc", "gtk-doc", "help", "texlive", "texmf", "javascript")))
    kept: list[Path] = []
    words_kept: set[str] = set()
    for folder in tops:
        pages = _folder_pages(folder)
        if len(pages) < 10:
            continue
        rp = folder.resolve()
        if rp in listed or rp in listed_dirs or any(p.resolve() in listed or digest(p) in listed_bytes for p in pages):
            continue
        word = _generator_word(pages[0])
        if word in words_kept:
            continue
        print(f"{folder}  generator {word}  {len(pages)} pages", flush=True)
        kept.append(folder)
        words_kept.add(word)
        if len(kept) == n:
            break
    for folder in tops if len(kept) < n else []:
        pages = _folder_pages(folder)
        rp = folder.resolve()
        if folder in kept or len(pages) < 10 or rp in listed or rp in listed_dirs \
                or any(p.resolve() in listed or digest(p) in listed_bytes for p in pages):
            continue
        print(f"{folder}  generator {_generator_word(pages[0])}  {len(pages)} pages (fallback)", flush=True)
        kept.append(folder)
        if len(kept) == n:
            break
    seconds = [b for top in (Path("/usr/lib"), Path("/usr/share")) for a in firsts(top) for b in firsts(a)]
    for folder in sorted(seconds) if len(kept) < n else []:
        pages = _folder_pages(folder)
        rp = folder.resolve()
        if folder in kept or len(pages) < 10 or rp in listed or rp in listed_dirs \
                or any(p.resolve() in listed or digest(p) in listed_bytes for p in pages):
            continue
        print(f"{folder}  generator {_generator_word(pages[0])}  {len(pages)} pages (second fallback)", flush=True)
        kept.append(folder)
        if len(kept) == n:
            break
    thirds = [c for a in firsts(Path("/usr/share")) for b in firsts(a) for c in firsts(b)]
    for folder in sorted(thirds) if len(kept) < n else []:
        pages = _folder_pages(folder)
        rp = folder.resolve()
        if folder in kept or len(pages) < 10 or rp in listed or rp in listed_dirs \
                or any(p.resolve() in listed or digest(p) in listed_bytes for p in pages):
            continue
        print(f"{folder}  generator {_generator_word(pages[0])}  {len(pages)} pages (third fallback)", flush=True)
        kept.append(folder)
        if len(kept) == n:
            break
    return kept


if __name__ == "__main__":
    main()
