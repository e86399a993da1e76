"""Build a tiny Model2Vec model folder for tests (tokenizers + model2vec; nothing downloads)."""

import re

import numpy as np


def make_model(folder, words, dim=16, seed=0, licence="mit"):
    """Save a Model2Vec model with random word vectors for *words* into *folder*."""
    from model2vec import StaticModel
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    vocab = {w: i for i, w in enumerate(["[UNK]", "[PAD]", *sorted(set(words))])}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    vectors = np.random.default_rng(seed).standard_normal((len(vocab), dim)).astype(np.float32)
    StaticModel(vectors, tok, normalize=True).save_pretrained(folder)
    card = folder / "README.md"
    card.write_text(re.sub(r"(?m)^license: .*$", f"license: {licence}", card.read_text()))
    return folder
