"""A local embedding model folder the user already has: Model2Vec static embeddings.

Loaded from disk with its own library (``model2vec.StaticModel.from_pretrained`` on the
folder, with ``HF_HUB_OFFLINE=1`` so nothing downloads). A Model2Vec folder holds
``config.json``, ``model.safetensors`` and ``tokenizer.json`` (the format
``StaticModel.save_pretrained`` writes; the same folder also loads in sentence-transformers as
a ``StaticEmbedding``). Transformer sentence-transformers models are not accepted: running
them needs PyTorch, which FineFlow does not depend on.

The licence shown to the user is read from the folder: the ``license:`` field of the model
card's YAML front matter (``README.md``, the Hugging Face model-card convention), else the first
line of a ``LICENSE``/``LICENSE.txt``/``LICENSE.md`` file.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from fineflow_desktop.core.embeddings import EmbeddingError, l2_normalize

LOCAL_PREFIX = "local:"
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json")
NO_LICENCE = "not stated in the model folder"


def model_folder_problem(folder: str | Path) -> str | None:
    """Why *folder* is not a usable Model2Vec folder (names the missing file), or None."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        return f"{path} is not a folder"
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    if missing:
        return f"{path} is not a Model2Vec model folder: {', '.join(missing)} missing"
    return None


def model_licence(folder: str | Path) -> str:
    """The model's licence as its folder states it (see the module docstring), else ``NO_LICENCE``."""
    path = Path(folder).expanduser()
    card = path / "README.md"
    if card.is_file():
        lines = card.read_text(encoding="utf-8", errors="replace").splitlines()
        if lines and lines[0].strip() == "---":
            for line in lines[1:]:
                if line.strip() == "---":
                    break
                key, _, value = line.partition(":")
                if key.strip().lower() in ("license", "licence") and value.strip():
                    return value.strip().strip("'\"")
    for name in ("LICENSE", "LICENSE.txt", "LICENSE.md"):
        f = path / name
        if f.is_file():
            first = next((ln.strip() for ln in f.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()), "")
            if first:
                return first[:120]
    return NO_LICENCE


def _weights_digest(path: Path) -> str:
    """sha256 (first 16 hex) of the weights and tokenizer: a changed model changes the index key."""
    h = hashlib.sha256()
    for name in ("model.safetensors", "tokenizer.json"):
        with open(path / name, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:16]


class Model2VecEmbedder:
    """Embeds with the Model2Vec model in *folder*; ``name`` is ``local:<folder name>``,
    ``version`` the weights digest, ``dim`` the model's. Raises ``EmbeddingError`` when the
    folder is not a Model2Vec folder or the ``model2vec`` library cannot load it."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder).expanduser().resolve()
        problem = model_folder_problem(self.folder)
        if problem:
            raise EmbeddingError(problem)
        self.name = f"{LOCAL_PREFIX}{self.folder.name}"
        self.version = _weights_digest(self.folder)
        self.licence = model_licence(self.folder)
        self._lock = threading.Lock()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder needs no network
        try:
            from model2vec import StaticModel

            self._model = StaticModel.from_pretrained(self.folder)
        except Exception as exc:  # noqa: BLE001 - any load failure is the model folder's problem
            raise EmbeddingError(f"cannot load the Model2Vec model in {self.folder}: {exc}") from exc
        self.dim = int(self._model.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed *texts* -> ``(n, dim)`` L2-normalised float32."""
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(list(texts), show_progress_bar=False)
        return l2_normalize(np.asarray(vectors))
