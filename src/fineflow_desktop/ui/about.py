"""Help > About: FineFlow's version, the versions of Python, Qt and the key libraries, and the
licences of the parts the app is built from (the packaged builds ship them all)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from fineflow_desktop import APP_NAME, __version__

# Third-party notices shown in Help > About. The vocab files ship inside the package.
LICENCE_LINES = [
    ("FineFlow Desktop", "MIT licence"),
    ("Python", "PSF License Version 2 (the packaged builds include the interpreter)"),
    ("Qt 6 / PySide6", "LGPL-3.0 (The Qt Company)"),
    ("tiktoken and its o200k_base / cl100k_base vocabulary files", "MIT licence (OpenAI); vocab files shipped unmodified, sha256-verified"),
    ("WordLlama embeddings (opt-in optional extra, fineflow-desktop[wordllama]; not in the installers; "
     "the default embedder is model-free)",
     "MIT code; weights derive from Llama 2 token embeddings (Llama 2 Community License) — see "
     "resources/licenses/WORDLLAMA-NOTICE.txt in the package"),
    ("Sample documents (Try it with sample documents)",
     "excerpts of the Python 3.11 documentation, © Python Software Foundation, PSF License Version 2 — "
     "resources/sample/SOURCES.txt and resources/licenses/PSF-LICENSE.txt"),
    ("SQLAlchemy, Alembic", "MIT licence"),
    ("pyqtgraph", "MIT licence"),
    ("numpy, scipy, threadpoolctl", "BSD-3-Clause"),
    ("FAISS", "MIT licence (Meta)"),
    ("rensa (MinHash, near-duplicates)", "MIT licence"),
    ("charset-normalizer, platformdirs, keyring", "MIT licence"),
    ("beautifulsoup4, lxml", "MIT licence / BSD-3-Clause"),
    ("openpyxl, python-docx", "MIT / MIT"),
    ("ebooklib", "AGPL-3.0"),
    ("openai, anthropic SDKs, httpx", "Apache-2.0 / MIT / BSD-3-Clause"),
    ("together, fireworks-ai SDKs", "Apache-2.0 / Apache-2.0"),
    ("pypdfium2 (with PDFium)", "Apache-2.0 or BSD-3-Clause (PDFium: BSD-3-Clause)"),
    ("model2vec, rouge-score, nltk", "MIT / Apache-2.0 / Apache-2.0"),
    ("PyYAML", "MIT licence"),
    ("tenacity, psutil, orjson, python-json-logger", "Apache-2.0 / BSD-3-Clause / Apache-2.0 or MIT / BSD-2-Clause"),
]

# Libraries whose versions Help > About shows (distribution names).
ABOUT_LIBRARIES = ["SQLAlchemy", "alembic", "tiktoken", "numpy", "faiss-cpu", "pyqtgraph", "lxml", "pypdfium2",
                   "python-docx", "openpyxl", "openai", "anthropic", "keyring"]


def library_versions() -> list[tuple[str, str]]:
    """``(name, version)`` of FineFlow, Python, Qt, PySide6 and ``ABOUT_LIBRARIES``."""
    import platform
    from importlib import metadata

    import PySide6
    from PySide6.QtCore import qVersion

    rows = [(APP_NAME, __version__), ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
            ("Qt", qVersion()), ("PySide6", PySide6.__version__)]
    for dist in ABOUT_LIBRARIES:
        try:
            rows.append((dist, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            rows.append((dist, "not installed"))
    return rows


def about_text() -> str:
    """HTML body of the About box: versions and the licence list."""
    from html import escape

    versions = "".join(f"<tr><td>{escape(n)}</td><td>&nbsp;&nbsp;{escape(v)}</td></tr>" for n, v in library_versions())
    items = "".join(f"<li><b>{name}</b> — {lic}</li>" for name, lic in LICENCE_LINES)
    return (
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>Turn documents and chat logs into clean fine-tuning datasets.</p>"
        f"<p><b>Versions</b></p><table>{versions}</table>"
        f"<p><b>Licences of the parts it is built from</b></p><ul>{items}</ul>"
    )


def show_about(parent: QWidget) -> QDialog:
    """Open Help > About over *parent*: versions and licences (non-modal; returned for tests)."""
    dlg = QDialog(parent)
    dlg.setWindowTitle(f"About {APP_NAME}")
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    lay = QVBoxLayout(dlg)
    label = QLabel(about_text())
    label.setObjectName("aboutText")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setMinimumWidth(620)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    scroll = QScrollArea()
    scroll.setWidget(label)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    lay.addWidget(scroll)
    dlg.resize(700, 640)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    buttons.accepted.connect(dlg.accept)
    lay.addWidget(buttons)
    dlg.open()
    return dlg
