"""Packaging rules that can be checked without building: what the bundle leaves out must not be
used by the app, the filters keep what is needed, the .deb's Depends merge, version metadata."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))

import bundle_filter  # noqa: E402
import make_deb  # noqa: E402


def imported_modules() -> set[str]:
    names = set()
    for f in (ROOT / "src" / "fineflow_desktop").rglob("*.py"):
        for m in re.finditer(r"^\s*(?:from|import)\s+([A-Za-z_][\w.]*)", f.read_text(encoding="utf-8"), re.M):
            names.add(m.group(1))
    return names


def test_the_app_imports_no_excluded_module():
    used = imported_modules()
    qt = {n for n in used if n.startswith("PySide6.")}
    assert qt <= {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"}, qt
    excluded = set(bundle_filter.EXCLUDED_MODULES)
    clash = {n for n in used if n in excluded or any(n.startswith(e + ".") for e in excluded)}
    # WordLlama is an optional extra the installers leave out on purpose; the app reports it as
    # unavailable (tests/test_wordllama_extra.py).
    assert clash <= set(bundle_filter.OPTIONAL_EXTRAS), f"modules the bundle leaves out are imported by the app: {clash}"


def test_filters_drop_unused_qt_and_keep_what_runs_the_app():
    toc = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "/x/libqoffscreen.so", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqwayland-egl.so", "/x/w.so", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/x/gtk.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/x/w6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Quick.so.6", "/x/q6", "BINARY"),
        ("PySide6/Qt/translations/qtbase_de.qm", "/x/de.qm", "DATA"),
        ("nltk/test/unit/test_tokenize.py", "/x/t.py", "DATA"),
        ("libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "SYMLINK"),
        ("libQt6Widgets.so.6", "PySide6/Qt/lib/libQt6Widgets.so.6", "SYMLINK"),
    ]
    kept = {e[0] for e in bundle_filter.keep(toc)}
    assert kept == {"PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                    "PySide6/Qt/lib/libQt6Widgets.so.6", "libQt6Widgets.so.6"}


def test_orphan_libraries_of_dropped_plugins_are_pruned():
    toc = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/libqxcb.so", "BINARY"),
        ("numpy/_core/_multiarray_umath.so", "/s/np.so", "EXTENSION"),
        ("libxcb-cursor.so.0", "/usr/lib/libxcb-cursor.so.0", "BINARY"),
        ("libxcb.so.1", "/usr/lib/libxcb.so.1", "BINARY"),
        ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY"),  # only the dropped GTK theme needed it
        ("libpython3.11.so.1.0", "/py/libpython3.11.so.1.0", "BINARY"),
    ]
    needs = {"/s/libqxcb.so": {"libxcb-cursor.so.0"}, "/usr/lib/libxcb-cursor.so.0": {"libxcb.so.1"},
             "/s/np.so": set()}
    kept = {e[0] for e in bundle_filter.prune_orphan_libraries(toc, lambda src: needs.get(src, set()))}
    assert "libcairo.so.2" not in kept
    assert {"libxcb-cursor.so.0", "libxcb.so.1", "libpython3.11.so.1.0", "numpy/_core/_multiarray_umath.so"} <= kept


def test_deb_depends_merges_the_listed_runtime_libraries_once():
    merged = make_deb.merge_depends("libc6 (>= 2.36), libxcb-cursor0 (>= 0.0.99), libgl1 | libgl1-mesa-glx",
                                    ["libxcb-cursor0", "libgl1", "libxcb-icccm4"])
    parts = [p.strip() for p in merged.split(",")]
    assert parts == ["libc6 (>= 2.36)", "libxcb-cursor0 (>= 0.0.99)", "libgl1 | libgl1-mesa-glx", "libxcb-icccm4"]
    listed = make_deb.listed_runtime_packages()
    assert "libxcb-cursor0" in listed and all(not p.startswith("#") for p in listed)


def test_deb_modes_programs_executable_libraries_not(tmp_path):
    files = {"fineflow-desktop": 0o755, "libQt6Gui.so.6": 0o755, "_yaml.cpython-311-x86_64-linux-gnu.so": 0o755,
             "libpython3.11.so.1.0": 0o755, "base_library.zip": 0o644, "run.sh": 0o700, "notes.txt": 0o600}
    for name, mode in files.items():
        (tmp_path / name).write_bytes(b"x")
        (tmp_path / name).chmod(mode)
    got = {name: make_deb.deb_mode(tmp_path / name) for name in files}
    assert got == {"fineflow-desktop": 0o755, "libQt6Gui.so.6": 0o644, "_yaml.cpython-311-x86_64-linux-gnu.so": 0o644,
                   "libpython3.11.so.1.0": 0o644, "base_library.zip": 0o644, "run.sh": 0o755, "notes.txt": 0o644}
    assert make_deb.deb_mode(tmp_path) == 0o755


def test_version_comes_from_package_metadata_in_cli_and_about():
    from importlib import metadata

    from fineflow_desktop import __version__

    assert __version__ == metadata.version("fineflow-desktop")
    out = subprocess.run([sys.executable, "-c", "from fineflow_desktop.cli import main; raise SystemExit(main(['--version']))"], capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0 and __version__ in out.stdout


def test_strip_bundle_strips_a_plain_extension_and_leaves_patched_libraries(tmp_path):
    """packaging/strip_bundle.py: an extension module without RPATH is stripped and still loads;
    a file in an auditwheel ``*.libs`` folder or with an RPATH is left alone (PyInstaller's own
    strip broke numpy's patchelf-rewritten OpenBLAS)."""
    import ctypes
    import shutil
    import strip_bundle

    if shutil.which("strip") is None or shutil.which("readelf") is None:
        import pytest

        pytest.skip("binutils not installed")
    import ctypes.util

    found = ctypes.util.find_library("z")
    plain = next((Path(d) / found).resolve() for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64")
                 if found and (Path(d) / found).exists())  # a system library: no RPATH
    bundle = tmp_path / "bundle"
    (bundle / "pkg.libs").mkdir(parents=True)
    shutil.copy(plain, bundle / "plain.so")
    shutil.copy(plain, bundle / "pkg.libs" / "vendored.so")
    subprocess.run(["strip", "--strip-unneeded", "-o", str(tmp_path / "probe.so"), str(plain)], check=True)
    can_shrink = (tmp_path / "probe.so").stat().st_size < plain.stat().st_size
    saved, stripped, skipped = strip_bundle.strip_bundle(bundle)
    assert skipped == 1 and (bundle / "pkg.libs" / "vendored.so").read_bytes() == plain.read_bytes()
    assert stripped == (1 if can_shrink else 0) and saved >= 0
    ctypes.CDLL(str(bundle / "plain.so"))  # still a loadable ELF file


def test_strip_bundle_drops_the_build_machines_runpath_and_keeps_origin(tmp_path):
    """A RUNPATH naming the build machine (pyenv's lib folder) goes; auditwheel's ``$ORIGIN`` one
    stays; the library still loads (lintian: custom-library-search-path)."""
    import ctypes
    import ctypes.util
    import shutil
    import strip_bundle

    if shutil.which("readelf") is None:
        import pytest

        pytest.skip("binutils not installed")
    tool = strip_bundle.patchelf_tool()
    found = ctypes.util.find_library("z")
    plain = next((Path(d) / found).resolve() for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64")
                 if found and (Path(d) / found).exists())
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for name, rpath in (("build.so", "/root/.pyenv/versions/3.11.7/lib"), ("origin.so", "$ORIGIN/../x.libs")):
        shutil.copy(plain, bundle / name)
        subprocess.run([tool, "--set-rpath", rpath, str(bundle / name)], check=True)
    assert strip_bundle.runpaths(bundle / "build.so") == ["/root/.pyenv/versions/3.11.7/lib"]
    assert strip_bundle.drop_build_runpaths(bundle) == 1
    assert strip_bundle.runpaths(bundle / "build.so") == []
    assert strip_bundle.runpaths(bundle / "origin.so") == ["$ORIGIN/../x.libs"]
    ctypes.CDLL(str(bundle / "build.so"))  # still a loadable ELF file


def test_one_frozen_program_picks_the_cli_or_the_gui_from_the_name_it_was_started_under():
    """packaging/entry.py: ``fineflow`` is a symlink to ``fineflow-desktop`` (one PYZ, not two);
    sys.argv[0] keeps the name typed or linked (/usr/bin/fineflow), any other name is the GUI."""
    import entry

    assert entry.invoked_command("fineflow") == "cli"
    assert entry.invoked_command("/usr/bin/fineflow") == "cli"
    assert entry.invoked_command("./fineflow-desktop/fineflow") == "cli"
    assert entry.invoked_command(r"C:\Program Files\FineFlow\FINEFLOW.EXE".replace("\\", "/")) == "cli"
    assert entry.invoked_command("/opt/fineflow-desktop/fineflow-desktop") == "gui"
    assert entry.invoked_command("fineflow-desktop.exe") == "gui"
    assert entry.invoked_command("") == "gui"
    assert entry.invoked_command("/tmp/fineflow-cli-copy") == "gui"


def test_the_spec_builds_one_program_with_a_pyz_and_links_the_cli_to_it():
    spec = (ROOT / "packaging" / "fineflow.spec").read_text()
    assert "noarchive=False" in spec and '[str(HERE / "entry.py")]' in spec
    assert 'cli_link.symlink_to("fineflow-desktop")' in spec


BLOCKED_IMPORT_PROBE = r'''
import importlib.abc, json, sys
blocked = json.loads(sys.argv[1])
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if any(name == b or name.startswith(b + ".") for b in blocked):
            raise ImportError(f"left out of the bundle: {name}")
sys.meta_path.insert(0, Block())
from rouge_score import rouge_scorer                      # compare: ROUGE-L with nltk's Porter stemmer
score = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True).score("the cats are running", "a cat runs")
assert 0 < score["rougeL"].fmeasure < 1, score
from fineflow_desktop.core import neardup                 # near-duplicates (rensa, no scipy)
text = "The quick brown fox jumps over the lazy dog near the river bank. " * 3
pairs = neardup.find_pairs([1, 2, 3], [text, text.replace("lazy", "sleepy"), "Something else entirely."])
assert [(p.a, p.b) for p in pairs] == [(1, 2)], pairs
from rensa import RMinHashLSH                             # pair-scoring LSH
from fineflow_desktop.services.pairs.scoring import LSH_THRESHOLD, NUM_PERM, _minhashes
lsh = RMinHashLSH(LSH_THRESHOLD, NUM_PERM, neardup.lsh_bands(LSH_THRESHOLD, NUM_PERM))
sigs = _minhashes(["how do I read a csv file", "how do I read a csv file quickly", "what is a lambda"])
for i, sig in enumerate(sigs):
    lsh.insert(i, sig)
assert 1 in lsh.query(sigs[0]) and 2 not in lsh.query(sigs[0])
from fineflow_desktop.core import lsa                     # model-free embeddings (scipy.sparse, numpy SVD)
x = lsa.term_matrix(["alpha beta", "beta gamma", "gamma delta"])
assert x.shape[0] == 3
docs = [f"paragraph {i} about {w} and {v} in the manual" for i in range(60)
        for w, v in [("files", "folders"), ("tables", "rows"), ("search", "index")]]
model = lsa.LsaEmbedder.fit(docs)
v = model.embed(["files and folders", "search index"])
assert v.shape[0] == 2
from pathlib import Path                                  # the HTML parser (lxml.html, bs4 for deep pages)
from fineflow_desktop.core.ingest import parse_file
page = Path("/usr/share/doc/maint-guide/html/first.en.html")
if page.exists():
    doc = parse_file(page)
    assert doc.sections and any(s.heading_path for s in doc.sections), doc.meta
from fineflow_desktop.providers.finetuning import fireworks_ft, together_ft   # SDK adapters without the
fw = fireworks_ft.FireworksFineTuning(api_key="x", account_id="acct", base_url="http://127.0.0.1:9")  # excluded
tg = together_ft.TogetherFineTuning(api_key="x", base_url="http://127.0.0.1:9")  # training subpackages
tg.client.fine_tuning, tg.client.files, tg.client.post_training, fw.client.supervised_fine_tuning_jobs, fw.client.datasets, fw.client.models
print("ok", sorted(m for m in sys.modules if m.startswith("scipy.") and m.count(".") == 1))
'''


def test_libraries_still_work_with_the_excluded_scipy_subpackages_left_out():
    """bundle_filter leaves out all of scipy but scipy.sparse (nltk imports stats/interpolate/
    ndimage inside try/except ImportError; nothing else imports the rest since rensa replaced
    datasketch), lxml's HTML diff, nltk's doctests, readline and the SDKs' training subpackages
    (fireworks.training, together.post_training): rouge-score (nltk), near-duplicates, pair-scoring
    LSH, core.lsa (fit and embed), the HTML parser and the Fireworks and Together
    adapters' clients must work without them, and load no scipy subpackage but sparse."""
    blocked = [m for m in bundle_filter.EXCLUDED_MODULES
               if m.startswith(("scipy", "lxml.html", "nltk", "fireworks", "together")) or m == "readline"]
    assert {"scipy.stats", "lxml.html.diff", "nltk.test", "readline"} <= set(blocked)
    out = subprocess.run([sys.executable, "-c", BLOCKED_IMPORT_PROBE, json.dumps(blocked)], capture_output=True,
                         text=True, timeout=300, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.startswith("ok")
    loaded = ast.literal_eval(out.stdout.split(None, 1)[1])
    assert [m for m in loaded if not m.startswith(("scipy._", "scipy.version"))] == ["scipy.sparse"], loaded


def test_dedupe_bundle_links_identical_libraries_and_keeps_different_ones(tmp_path):
    """packaging/dedupe_bundle.py: the same library (name and bytes) in numpy.libs/ and
    scipy.libs/ becomes one file and a relative link that still loads; a same-named library with
    other bytes stays a file."""
    import ctypes
    import ctypes.util

    import dedupe_bundle

    found = ctypes.util.find_library("z")
    lib = next((Path(d) / found).resolve() for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64")
               if found and (Path(d) / found).exists())
    bundle = tmp_path / "bundle"
    for folder in ("numpy.libs", "scipy.libs", "faiss.libs"):
        (bundle / folder).mkdir(parents=True)
    for folder in ("numpy.libs", "scipy.libs"):
        (bundle / folder / "libz-abc.so.1").write_bytes(lib.read_bytes())
    (bundle / "faiss.libs" / "libz-abc.so.1").write_bytes(lib.read_bytes() + b"\0")  # same name, other bytes
    (bundle / "data.bin").write_bytes(lib.read_bytes()[4:])  # not ELF: never touched
    saved, links = dedupe_bundle.dedupe_bundle(bundle)
    assert (links, saved) == (1, lib.stat().st_size)
    link = bundle / "scipy.libs" / "libz-abc.so.1"
    assert link.is_symlink() and str(link.readlink()) == "../numpy.libs/libz-abc.so.1"
    assert not (bundle / "numpy.libs" / "libz-abc.so.1").is_symlink()
    assert not (bundle / "faiss.libs" / "libz-abc.so.1").is_symlink()
    ctypes.CDLL(str(link))  # loads through the link


FAISS_BLAS_PROBE = r'''
import sys
sys.path.insert(0, sys.argv[1])
import numpy as np, faiss
assert faiss.__file__.startswith(sys.argv[1]), faiss.__file__
rng = np.random.default_rng(7)
x = rng.standard_normal((3000, 64)).astype(np.float32)
q = rng.standard_normal((50, 64)).astype(np.float32)   # >= 20 queries: FAISS computes them with sgemm
index = faiss.IndexFlatL2(64); index.add(x)
d, i = index.search(q, 5)
km = faiss.Kmeans(64, 8, niter=3, seed=1); km.train(x)  # sgemm + ssyrk-free path of k-means
np.savez(sys.argv[2], d=d, i=i, c=km.centroids)
'''


def test_share_blas_links_faiss_to_scipys_openblas_with_the_same_results(tmp_path):
    """packaging/share_blas.py: libfaiss.so relinked to SciPy's OpenBLAS (its own 37 MB copy
    deleted) loads, and a BLAS-backed search (50 queries: sgemm) and k-means give the same
    neighbours and numbers as the wheel's own FAISS. A copy of the installed wheels stands in for the bundle."""
    import importlib.util
    import shutil

    import numpy as np
    import pytest
    import share_blas

    if shutil.which("readelf") is None:
        pytest.skip("binutils not installed")
    site = Path(importlib.util.find_spec("faiss").origin).parents[1]
    if not (site / "faiss_cpu.libs").is_dir() or not (site / "scipy.libs").is_dir():
        pytest.skip("faiss-cpu / scipy not installed from manylinux wheels")
    bundle = tmp_path / "_internal"
    for folder in ("faiss", "faiss_cpu.libs", "scipy.libs"):
        shutil.copytree(site / folder, bundle / folder, ignore=shutil.ignore_patterns("__pycache__"))
    own = next((bundle / "faiss_cpu.libs").glob("libopenblas*"))
    gomp = next((bundle / "faiss_cpu.libs").glob("libgomp*"))
    for lib in (own, gomp):  # PyInstaller's top-level links to vendored libraries
        (bundle / lib.name).symlink_to(Path("faiss_cpu.libs") / lib.name)
    saved, renamed = share_blas.share_blas(bundle)
    assert not own.exists() and saved > 30 * 1024 * 1024
    assert not (bundle / own.name).is_symlink() and (bundle / gomp.name).exists()  # no dangling link left
    assert {"sgemm_", "ssyrk_", "sgesvd_"} <= set(renamed)
    assert "libgomp" in " ".join(p.name for p in (bundle / "faiss_cpu.libs").iterdir())  # FAISS's own OpenMP stays
    env = {"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"}
    for where, out in ((bundle, tmp_path / "shared.npz"), (site, tmp_path / "wheel.npz")):
        run = subprocess.run([sys.executable, "-c", FAISS_BLAS_PROBE, str(where), str(out)], capture_output=True,
                             text=True, timeout=300, env=env)
        assert run.returncode == 0, run.stderr[-3000:]
    shared, wheel = np.load(tmp_path / "shared.npz"), np.load(tmp_path / "wheel.npz")
    # Two OpenBLAS versions may round sgemm differently in the last bit: same neighbours, same numbers to 1e-5.
    assert np.array_equal(shared["i"], wheel["i"])
    assert np.allclose(shared["d"], wheel["d"], rtol=1e-5) and np.allclose(shared["c"], wheel["c"], rtol=1e-4, atol=1e-5)
    with pytest.raises(share_blas.ShareError):  # a second run finds no FAISS OpenBLAS: refuses, changes nothing
        share_blas.share_blas(bundle)


def qt_icu_library() -> Path:
    import importlib.util

    lib = Path(importlib.util.find_spec("PySide6").origin).parent / "Qt" / "lib"
    return next(p for p in sorted(lib.glob("libicudata.so.*")) if not p.is_symlink())


def test_slim_icu_package_format_reads_back_byte_for_byte():
    """packaging/slim_icu.py reads Qt's ICU common-data package and writes it back identical
    (same table of contents, names, alignment and filler) when nothing is dropped."""
    import shutil

    import pytest
    import slim_icu

    if shutil.which("readelf") is None:
        pytest.skip("binutils not installed")
    lib = qt_icu_library()
    _symbol, offset, size = slim_icu.data_symbol(lib)
    blob = lib.read_bytes()[offset: offset + size]
    header, items = slim_icu.read_package(blob)
    assert len(items) > 3000 and any(name.endswith("/coll/root.res") for name, _ in items)
    assert slim_icu.write_package(header, items) == blob
    assert slim_icu.dropped("icudt73l/brkitr/cjdict.dict") and not slim_icu.dropped("icudt73l/coll/sv.res")
    assert not slim_icu.dropped("icudt73l/ibm-943_P15A-2003.cnv")


QT_TEXT_PROBE = r'''
import json
from fineflow_desktop.ui.smoke import qt_text_services
print(json.dumps(qt_text_services(), ensure_ascii=False))
print([l.split()[-1] for l in open("/proc/self/maps") if "libicudata" in l][0])
'''


def test_slim_icu_library_serves_qt_the_same_collation_codecs_and_time_zone_names(tmp_path):
    """The rebuilt libicudata (brkitr, unit, curr, lang, region, translit, rbnf left out) is
    ~14 MB smaller, and Qt loading it (preloaded: same soname) gives the same answers as with the
    wheel's own: numeric and Swedish collation, the legacy codecs, time-zone display names."""
    import shutil

    import pytest
    import slim_icu

    if any(shutil.which(t) is None for t in ("readelf", "as", "ld")):
        pytest.skip("binutils not installed")
    lib = qt_icu_library()
    qt = tmp_path / "_internal" / "PySide6" / "Qt" / "lib"
    qt.mkdir(parents=True)
    slim = qt / lib.name
    shutil.copy(lib, slim)
    saved, dropped = slim_icu.slim_icu(tmp_path)
    assert saved > 10 * 1024 * 1024 and dropped > 1000
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "QT_QPA_PLATFORM": "offscreen"}
    runs = []
    for preload in (None, slim):
        run = subprocess.run([sys.executable, "-c", QT_TEXT_PROBE], capture_output=True, text=True, timeout=120,
                             env={**env, **({"LD_PRELOAD": str(slim)} if preload else {})})
        assert run.returncode == 0, run.stderr[-3000:]
        answers, mapped = run.stdout.splitlines()
        assert mapped == str(preload or lib)  # the library under test is the one Qt reads
        runs.append(json.loads(answers))
    assert runs[0] == runs[1]
