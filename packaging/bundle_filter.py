"""What the PyInstaller bundle leaves out, as data the spec and the size benchmark share.

``EXCLUDED_MODULES``: Python modules never analysed (so their Qt libraries, plugins and data
are not collected either). ``DROPPED_FILES``: glob patterns (on the bundle-relative path) of
collected binaries/data files removed afterwards — Qt plugins, QML and translations the app
cannot use. The app imports only QtCore, QtGui and QtWidgets (checked by
``tests/test_packaging.py``) — plus QtOpenGL/QtOpenGLWidgets, which pyqtgraph 0.14 imports
unconditionally (``pyqtgraph/Qt/OpenGLHelpers.py``; the frozen smoke test failed without them).
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import PurePosixPath

# Qt modules the app never imports (WebEngine, Quick/QML, Multimedia, 3D, virtual keyboard, …).
QT_EXCLUDED = [
    "PySide6.Qt3DAnimation", "PySide6.Qt3DCore", "PySide6.Qt3DExtras", "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic", "PySide6.Qt3DRender", "PySide6.QtBluetooth", "PySide6.QtCharts",
    "PySide6.QtConcurrent", "PySide6.QtDataVisualization", "PySide6.QtDesigner", "PySide6.QtGraphs",
    "PySide6.QtHelp", "PySide6.QtHttpServer", "PySide6.QtLocation", "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets", "PySide6.QtNetwork", "PySide6.QtNetworkAuth", "PySide6.QtNfc",
    "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    "PySide6.QtPositioning", "PySide6.QtPrintSupport", "PySide6.QtQml", "PySide6.QtQuick",
    "PySide6.QtQuick3D", "PySide6.QtQuickControls2", "PySide6.QtQuickTest", "PySide6.QtQuickWidgets",
    "PySide6.QtRemoteObjects", "PySide6.QtScxml", "PySide6.QtSensors", "PySide6.QtSerialBus",
    "PySide6.QtSerialPort", "PySide6.QtSpatialAudio", "PySide6.QtSql", "PySide6.QtStateMachine",
    "PySide6.QtSvg", "PySide6.QtSvgWidgets", "PySide6.QtTest", "PySide6.QtTextToSpeech",
    "PySide6.QtUiTools", "PySide6.QtWebChannel", "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineQuick", "PySide6.QtWebEngineWidgets", "PySide6.QtWebSockets",
    "PySide6.QtWebView", "PySide6.QtXml", "PySide6.QtAxContainer", "PySide6.QtCanvasPainter",
    # the Python binding only: libQt6DBus itself stays (the xcb platform, portal theme and ibus
    # input plugins link to it)
    "PySide6.QtDBus",
    # other Qt bindings pyqtgraph would try
    "PyQt5", "PyQt6", "PySide2",
]

# Test-only, development and optional heavy packages never used by the app at run time.
OTHER_EXCLUDED = [
    "pytest", "_pytest", "pytestqt", "xdist", "hypothesis", "datasets", "pyarrow", "pandas",
    "jsonschema", "importlinter", "grimp", "IPython", "matplotlib", "tkinter", "_tkinter",
    "PIL", "torch", "tensorflow", "sklearn", "cv2", "pyqtgraph.opengl", "pyqtgraph.examples",
    "pyqtgraph.jupyter", "pyqtgraph.canvas", "pyqtgraph.console", "scipy.io.matlab.tests",
    "setuptools", "pip", "wheel", "pkg_resources", "distutils", "lib2to3", "pydoc_data", "test",
    # hf_xet only speeds up Hugging Face Hub downloads; FineFlow never downloads (local model folders).
    "hf_xet",
    # scipy subpackages nothing imports (checked: every pane, every CLI group, nltk via
    # rouge-score, model2vec, faiss load scipy.{sparse,stats,interpolate,ndimage} only).
    "scipy.signal", "scipy.io", "scipy.cluster", "scipy.odr", "scipy.datasets", "scipy.misc",
    "scipy.fftpack",
    # scipy.stats (and the interpolate/ndimage it pulls in) come only from nltk, whose every
    # scipy import is inside `try: ... except ImportError` (nltk.metrics betai/fisher_exact,
    # gale_church's norm); rouge-score's Porter stemmer needs none of it.
    "scipy.stats", "scipy.interpolate", "scipy.ndimage",
    # Since rensa replaced datasketch for MinHash (session 9; datasketch's package import ran `from
    # scipy.integrate import quad`), nothing imports the rest of scipy but scipy.sparse (core.lsa;
    # `import scipy.sparse` loads scipy._lib and scipy.sparse only). Outside scipy, the build venv's only scipy imports are
    # scipy.sparse (core.lsa, faiss.contrib, nltk's transitionparser in try/except) and the
    # stats/ndimage ones above. tests/test_packaging.py runs core.lsa, near-duplicates, pair scoring,
    # rouge-score and trafilatura with all of these blocked. SciPy's OpenBLAS stays (FAISS uses it:
    # share_blas.py; the spec adds it as a binary).
    "scipy.integrate", "scipy.optimize", "scipy.special", "scipy.linalg", "scipy.spatial", "scipy.fft",
    "scipy.constants", "scipy.sparse.linalg", "scipy.sparse.csgraph",
    # Never imported by the app or its libraries (grep over the build venv; only numpy.distutils,
    # itself unused, imports curses): lxml's objectify API (2.9 MB) and the curses bindings.
    "lxml.objectify", "curses", "_curses",
    # Never imported in any traced flow (sys.modules of the GUI smoke test, every CLI flow, ingest
    # workers and 10 test files; packaging/README.md) nor by any module of the build venv: lxml's
    # HTML diff (only its own command-line script), nltk's doctests (named in docstrings only), and
    # readline (cmd/pdb/code/rlcompleter import it inside try/except ImportError; it pulls in
    # libreadline + libtinfo).
    "lxml.html.diff", "lxml.html._difflib", "lxml.html._diffcommand", "nltk.test", "readline",
    # Provider-SDK subpackages nothing reaches: Fireworks' GRPO/DPO/SFT training clients (`fireworks.training`,
    # lazily loaded by its own `__getattr__`, needs the optional `tinker` extra) and Together's
    # Tinker compatibility layer (`together.post_training`; the client's `post_training` resource is
    # `together.resources.post_training`, which stays). No module outside each package imports them
    # (grep over the build venv); the spec's collect_submodules had pulled them in (0.8 MB of PYZ).
    "fireworks.training", "together.post_training",
    # NOT excluded although test-only: unittest and numpy.f2py — scipy's array_api_compat clones
    # the numpy module, touching numpy.testing (imports unittest) and numpy.f2py (the frozen
    # smoke test failed with both excluded).
]

# Optional extras of FineFlow itself that the installers leave out. WordLlama, the opt-in
# embedder (`pip install 'fineflow-desktop[wordllama]'`): Llama 2 licence, 18 MB of weights. The
# app lists it as unavailable with that reason (core.embeddings.wordllama_problem). Excluded so a
# build venv that still has it installed builds the same bundle as a fresh one.
OPTIONAL_EXTRAS = ["wordllama"]

EXCLUDED_MODULES = QT_EXCLUDED + OTHER_EXCLUDED + OPTIONAL_EXTRAS

# Bundle-relative paths of collected files to drop. Kept Qt plugins: platforms xcb/offscreen/
# minimal, xcb GL integrations, platform themes, input contexts (compose/ibus: typing accents).
# No image-format plugin: the app shows PNG icons only (PNG, BMP, PPM, XPM are built into QtGui).
DROPPED_FILES = [
    "PySide6/Qt/translations/qtwebengine*",
    "PySide6/Qt/translations/*",  # app is English-only; Qt's own dialogs fall back to English
    "PySide6/Qt/qml/*",
    "PySide6/Qt/plugins/qmltooling/*",
    "PySide6/Qt/plugins/multimedia/*",
    "PySide6/Qt/plugins/sceneparsers/*",
    "PySide6/Qt/plugins/renderers/*",
    "PySide6/Qt/plugins/geometryloaders/*",
    "PySide6/Qt/plugins/virtualkeyboard/*",
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/Qt/plugins/sqldrivers/*",
    "PySide6/Qt/plugins/position/*",
    "PySide6/Qt/plugins/tls/*",
    "PySide6/Qt/plugins/networkinformation/*",
    "PySide6/Qt/plugins/designer/*",
    "PySide6/Qt/plugins/printsupport/*",
    "PySide6/Qt/plugins/platforms/libqwayland*",
    "PySide6/Qt/plugins/platformthemes/libqgtk3*",  # would make GTK 3 a dependency; xdg portal theme stays
    "PySide6/Qt/plugins/iconengines/libqsvgicon*",  # needs QtSvg (dropped); icons are PNG
    "PySide6/Qt/plugins/imageformats/*",  # jpeg, webp, tiff, gif, ico, icns, tga, wbmp, svg, pdf
    "PySide6/Qt/plugins/platforms/libqvnc*",
    "PySide6/Qt/plugins/platforms/libqminimalegl*",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay*",
    "PySide6/Qt/lib/libQt6EglFsKmsSupport*",
    "PySide6/Qt/plugins/platforms/libqlinuxfb*",
    "PySide6/Qt/plugins/platforms/libqeglfs*",
    "PySide6/Qt/plugins/wayland-*/*",
    "PySide6/Qt/plugins/egldeviceintegrations/*",
    "PySide6/Qt/plugins/generic/*",
    "PySide6/Qt/lib/libQt6Quick*",
    "PySide6/Qt/lib/libQt6Qml*",
    "PySide6/Qt/lib/libQt6Pdf*",
    "PySide6/Qt/lib/libQt6VirtualKeyboard*",
    "PySide6/Qt/lib/libQt6Multimedia*",
    "PySide6/Qt/lib/libQt6WaylandClient*",
    "PySide6/Qt/lib/libQt6WaylandEgl*",
    "PySide6/Qt/lib/libQt6Wl*",
    "PySide6/Qt/lib/libQt6EglFS*",
    "PySide6/Qt/lib/libQt6Network*",
    "PySide6/Qt/lib/libQt6Svg*",
    "PySide6/Qt/lib/libQt6Sql*",
    "PySide6/Qt/lib/libQt6Test*",
    "PySide6/Qt/lib/libQt6Designer*",
    "PySide6/Qt/lib/libQt6Help*",
    "PySide6/Qt/lib/libQt6ShaderTools*",
    "PySide6/Qt/lib/libQt6Charts*",
    "PySide6/Qt/lib/libQt6Graphs*",
    "PySide6/Qt/lib/libQt63D*",
    "PySide6/Qt/lib/libQt6WebEngine*",
    "PySide6/Qt/lib/libQt6Positioning*",
    "PySide6/Qt/lib/libQt6PrintSupport*",
    "PySide6/Qt/lib/libQt6Concurrent*",
    "PySide6/Qt/lib/libQt6StateMachine*",
    "PySide6/Qt/lib/libQt6Xml*",
    "PySide6/Qt/lib/libQt6SpatialAudio*",
    "PySide6/Qt/lib/libQt6LanguageServer*",
    "PySide6/Qt/lib/libQt6Labs*",
    "PySide6/Qt/lib/libavcodec*", "PySide6/Qt/lib/libavformat*", "PySide6/Qt/lib/libavutil*",
    "PySide6/Qt/lib/libswresample*", "PySide6/Qt/lib/libswscale*",
    "*/tests/*",
    "nltk/test/*",  # doctest files (nltk.test is excluded above)
]


def excluded_module(name: str) -> bool:
    """True if module *name* is one of ``EXCLUDED_MODULES`` or inside one of them."""
    return any(name == e or name.startswith(e + ".") for e in EXCLUDED_MODULES)


def dropped(dest: str) -> bool:
    """True if the bundle-relative path *dest* matches one of ``DROPPED_FILES``."""
    path = PurePosixPath(dest).as_posix()
    return any(fnmatch(path, pattern) for pattern in DROPPED_FILES)


def keep(toc):
    """The entries of a PyInstaller TOC (``(dest, src, typecode)`` tuples) that are not dropped.

    A ``SYMLINK`` entry (``src`` is the link target, relative to the link's folder) goes when
    its target is dropped, so no dangling link is left (e.g. ``libQt6Network.so.6``).
    """
    def target(entry) -> str:
        import posixpath

        return posixpath.normpath(posixpath.join(posixpath.dirname(entry[0]), entry[1]))

    return [e for e in toc if not dropped(e[0]) and not (e[2] == "SYMLINK" and dropped(target(e)))]


def prune_orphan_libraries(binaries, needed_names) -> list:
    """Drop top-level shared libraries that no kept binary needs any more.

    PyInstaller copies the system libraries a collected binary links to into the top of
    ``_internal/``. When that binary is dropped afterwards (e.g. the GTK 3 platform theme, which
    pulls in cairo, pango, harfbuzz…), its libraries would stay behind and turn into needless
    ``Depends`` of the .deb. *binaries* is a PyInstaller TOC; *needed_names(src)* returns the
    file names a binary links to, transitively (PyInstaller's ``bindepend.get_imports`` via ldd).
    ``libpython*`` is always kept (the bootloader loads it).
    """
    def top_level(dest: str) -> bool:
        return "/" not in PurePosixPath(dest).as_posix()

    roots = [entry for entry in binaries if not top_level(entry[0])]
    needed: set[str] = set()
    for _dest, src, _typ in roots:
        needed.update(needed_names(src))
    changed = True
    kept_top = {e[0] for e in binaries if top_level(e[0]) and (e[0] in needed or e[0].startswith("libpython"))}
    while changed:  # libraries needed by kept top-level libraries (ldd is transitive already; belt and braces)
        changed = False
        for dest, src, _typ in binaries:
            if dest in kept_top:
                for name in needed_names(src):
                    if name not in needed:
                        needed.add(name)
                        changed = True
        kept_top |= {e[0] for e in binaries if top_level(e[0]) and e[0] in needed}
    return [e for e in binaries if not top_level(e[0]) or e[0] in kept_top]
