"""A local embedding model folder the user already has: a static-embedding model.

Two formats, both loaded from disk with model2vec (``StaticModel.from_pretrained`` on the
folder, with ``HF_HUB_OFFLINE=1`` so nothing downloads):

- a **Model2Vec** folder: ``config.json``, ``model.safetensors``, ``tokenizer.json`` (what
  ``StaticModel.save_pretrained`` writes);
- a **sentence-transformers static-embedding** model (``StaticEmbedding`` module, e.g.
  ``static-retrieval-mrl-en-v1``): ``config_sentence_transformers.json`` and ``modules.json``,
  with ``model.safetensors`` + ``tokenizer.json`` at the top (what sentence-transformers 3.4+
  saves) or under ``0_StaticEmbedding/`` (older saves, and the models on the Hugging Face Hub).

These are model2vec 0.10's own folder layouts (``model2vec.persistence.datamodels.FOLDER_LAYOUTS``),
and model2vec embeds them as sentence-transformers does (test against sentence-transformers'
own output). Transformer sentence-transformers models (a ``Transformer`` module in
``modules.json``) are refused by name: running them needs PyTorch, which FineFlow does not use.

The licence shown to the user is read from the folder: the ``license:`` field of the model
card's YAML front matter (``README.md``, the Hugging Face model-card convention), else the first
line of a ``LICENSE``/``LICENSE.txt``/``LICENSE.md`` file.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from fineflow_desktop.core.embeddings import EmbeddingError, l2_normalize

LOCAL_PREFIX = "local:"
NO_LICENCE = "not stated in the model folder"

# (config, weights, tokenizer) of each accepted layout, in model2vec 0.10's order
# (persistence.datamodels.FOLDER_LAYOUTS); the first one whose three files exist is used.
LAYOUTS = (
    ("config.json", "model.safetensors", "tokenizer.json"),
    ("config_sentence_transformers.json", "model.safetensors", "tokenizer.json"),
    ("config_sentence_transformers.json", "0_StaticEmbedding/model.safetensors", "0_StaticEmbedding/tokenizer.json"),
)
# sentence-transformers modules that a static model may chain after its StaticEmbedding.
_STATIC_MODULES = ("StaticEmbedding", "Normalize")


def _modules(path: Path) -> list[str]:
    """The class names of the sentence-transformers modules in ``modules.json`` ([] without one)."""
    try:
        entries = json.loads((path / "modules.json").read_text(encoding="utf-8"))
        return [str(e.get("type", "")).rsplit(".", 1)[-1] for e in entries]
    except (OSError, ValueError, AttributeError, TypeError):
        return []


def model_files(folder: str | Path) -> tuple[Path, Path] | None:
    """``(weights, tokenizer)`` paths of the first accepted layout found in *folder*, or None."""
    path = Path(folder).expanduser()
    for config, weights, tokenizer in LAYOUTS:
        if all((path / f).is_file() for f in (config, weights, tokenizer)):
            return path / weights, path / tokenizer
    return None


def model_folder_problem(folder: str | Path) -> str | None:
    """Why *folder* is not a usable static-embedding model folder, or None.

    Names what is wrong: not a folder, a transformer model (its module names), or the files a
    Model2Vec folder needs when no accepted layout is complete."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        return f"{path} is not a folder"
    others = [m for m in _modules(path) if m not in _STATIC_MODULES]
    if others:
        return (
            f"{path} is a sentence-transformers model with {', '.join(others)} modules: it needs PyTorch, "
            "which FineFlow does not use. Choose a static-embedding model (Model2Vec, or sentence-transformers "
            "StaticEmbedding)"
        )
    if model_files(path) is None:
        missing = [f for f in LAYOUTS[0] if not (path / f).is_file()]
        return f"{path} is not a Model2Vec or static sentence-transformers model folder: {', '.join(missing)} missing"
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


def _weights_digest(files: tuple[Path, Path]) -> str:
    """sha256 (first 16 hex) of the weights and tokenizer: a changed model changes the index key."""
    h = hashlib.sha256()
    for name in files:
        with open(name, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:16]


class Model2VecEmbedder:
    """Embeds with the static-embedding model in *folder* (either format, see the module
    docstring); ``name`` is ``local:<folder name>``, ``version`` the weights digest, ``dim`` the
    model's. Raises ``EmbeddingError`` naming the problem when the folder is not such a model or
    the ``model2vec`` library cannot load it."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder).expanduser().resolve()
        problem = model_folder_problem(self.folder)
        if problem:
            raise EmbeddingError(problem)
        self.name = f"{LOCAL_PREFIX}{self.folder.name}"
        self.files = model_files(self.folder)
        self.version = _weights_digest(self.files)
        self.licence = model_licence(self.folder)
        self._lock = threading.Lock()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder needs no network
        try:
            from model2vec import StaticModel

            self._model = StaticModel.from_pretrained(self.folder)
        except Exception as exc:  # noqa: BLE001 - any load failure is the model folder's problem
            raise EmbeddingError(f"cannot load the embedding model in {self.folder}: {exc}") from exc
        self.dim = int(self._model.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed *texts* -> ``(n, dim)`` L2-normalised float32."""
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(list(texts), show_progress_bar=False)
        return l2_normalize(np.asarray(vectors))
