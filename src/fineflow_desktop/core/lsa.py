"""``fineflow-lsa``: the model-free offline embedder (hashed TF-IDF + truncated SVD, numpy only).

Latent semantic analysis (Deerwester et al., 1990) fitted on the workspace's own chunks:

1. features: lower-cased word unigrams and bigrams (``\\w\\w+``, scikit-learn's default token
   pattern) hashed into 2^15 buckets with CRC-32 (the hashing trick, Weinberger et al. 2009:
   no vocabulary to store);
2. weights: sublinear tf ``1 + log(tf)`` and smoothed idf ``log((1+n)/(1+df)) + 1``
   (scikit-learn ``TfidfVectorizer`` conventions), rows L2-normalised;
3. 256 latent dimensions from a randomized SVD (Halko, Martinsson & Tropp 2011; 3 power
   iterations) of at most 20,000 sampled chunks (at most half as many dimensions as texts),
   each dimension scaled by ``max(s_i / s_1, 0.1) ** -0.5`` so a few dominant topics do
   not swamp the rest.

On Python-docs paragraphs (238 module-title queries -> the module's page), hit@1/hit@5 was
0.74/0.83 with the scaling vs 0.69/0.81 without; re-ranking the top 50 by the sparse TF-IDF
cosine (``rerank``) raised it to 0.87/0.90 (WordLlama 256-d: 0.88/0.95). Measured here,
``bench/bench_rag.py`` repeats it.

A fitted model is a file (``save``/``load``); its ``version`` is a digest of the weights, so a
refit changes the embedder key and rebuilds the index.
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

N_FEATURES = 1 << 15
DIM = 256
FIT_SAMPLE = 20_000
POWER_ITERATIONS = 3
SCALE_POWER = -0.5
MIN_RELATIVE_SINGULAR = 0.1
_TOKEN = re.compile(r"\w\w+")
# BLAS threads for the fit's SVD (None = OpenBLAS's default, one per core). One: its dense steps
# are small (k+10 columns), and OpenBLAS's spinning threads lose the cores to the ingest worker
# processes that run beside it (bench/bench_lsa_threads.py).
SVD_BLAS_THREADS: int | None = 1


def _features(text: str) -> Counter:
    toks = _TOKEN.findall(text.lower())
    mask = N_FEATURES - 1
    ids = [zlib.crc32(t.encode("utf-8")) & mask for t in toks]
    ids += [zlib.crc32(f"{a} {b}".encode("utf-8")) & mask for a, b in zip(toks, toks[1:])]
    return Counter(ids)


def term_matrix(texts: Sequence[str]) -> sp.csr_matrix:
    """Sublinear term frequencies ``(len(texts), 2^15)`` float32 CSR (no idf, not normalised)."""
    import scipy.sparse as sp  # loaded on first use, not at start-up (cold start)

    indptr, indices, data = [0], [], []
    for text in texts:
        counts = _features(text)
        indices.extend(counts.keys())
        data.extend(counts.values())
        indptr.append(len(indices))
    x = sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
        shape=(len(texts), N_FEATURES),
    )
    x.data = 1.0 + np.log(x.data)
    return x


def _row_norms(x: sp.csr_matrix) -> np.ndarray:
    """L2 norm of each row of *x* (CSR), ``(n,)`` float32."""
    return np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel()).astype(np.float32)


def _l2_rows(x: sp.csr_matrix) -> sp.csr_matrix:
    """*x* (CSR) with each row scaled to unit L2 norm, in place (all-zero rows stay zero)."""
    x = x.tocsr()
    norms = _row_norms(x)
    norms[norms == 0] = 1.0
    x.data /= np.repeat(norms, np.diff(x.indptr))
    return x


def _randomized_svd(x: sp.csr_matrix, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-*k* right singular vectors ``(k, n_features)`` and values (Halko et al. 2011, alg. 4.4)."""
    rng = np.random.default_rng(seed)
    q = np.asarray(x @ rng.standard_normal((x.shape[1], k + 10)).astype(np.float32))
    for _ in range(POWER_ITERATIONS):
        q, _ = np.linalg.qr(q)
        q = np.asarray(x @ np.asarray(x.T @ q))
    q, _ = np.linalg.qr(q)
    b = np.asarray(x.T @ q).T.astype(np.float64)  # (k+10, n_features)
    # SVD of the wide b through its small Gram matrix: numpy's svd on a 266 x 32768 matrix
    # took 25 s here, eigh of the 266 x 266 Gram matrix 0.3 s (float64 keeps it accurate).
    w, u = np.linalg.eigh(b @ b.T)
    order = np.argsort(w)[::-1][:k]
    s = np.sqrt(np.clip(w[order], 0.0, None))
    good = s > 1e-8 * max(s[0], 1e-30)
    vt = (u[:, order[good]].T @ b) / s[good][:, None]
    return vt.astype(np.float32), s[good].astype(np.float32)


class LsaEmbedder:
    """A fitted LSA model: ``embed(texts) -> (n, 256)`` L2-normalised float32.

    Build with ``LsaEmbedder.fit(texts)`` or ``LsaEmbedder.load(path)``. ``n_fit`` is the
    number of texts it was fitted on (the caller refits when the corpus has doubled).
    """

    name = "fineflow-lsa"
    dim = DIM

    def __init__(self, idf: np.ndarray, projection: np.ndarray, n_fit: int):
        self.idf = np.asarray(idf, dtype=np.float32)  # (N_FEATURES,)
        # Stored as float16 on disk; round here too so a fitted and a reloaded model are equal
        # (same version digest, same vectors).
        # C order: scipy copies a Fortran-ordered dense operand on every sparse @ dense product
        # (2.5 s per 30k chunks here).
        self.projection = np.ascontiguousarray(np.asarray(projection, dtype=np.float16).astype(np.float32))
        self.n_fit = int(n_fit)
        digest = hashlib.sha256(self.idf.tobytes() + self.projection.tobytes()).hexdigest()
        self.version = digest[:16]

    @classmethod
    def fit(
        cls, texts: Sequence[str], seed: int = 0, check: Callable[[], None] | None = None,
        always: Sequence[str] = (),
    ) -> "LsaEmbedder":
        """Fit on *always* plus *texts* (a seeded sample of them, 20,000 texts in all at most).
        Raises ``ValueError`` if every text is empty."""
        texts = [t for t in texts if t and t.strip()]
        always = [t for t in always if t and t.strip()][:FIT_SAMPLE]
        if not texts and not always:
            raise ValueError("cannot fit the LSA embedder: no text to learn from")
        room = FIT_SAMPLE - len(always)
        if len(texts) > room:
            pick = np.random.default_rng(seed).choice(len(texts), room, replace=False)
            texts = [texts[i] for i in sorted(pick)]
        texts = always + texts
        import scipy.sparse as sp  # loaded on first use, not at start-up (cold start)

        tf = term_matrix(texts)
        df = np.bincount(tf.indices, minlength=N_FEATURES)
        idf = (np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0).astype(np.float32)
        x = _l2_rows(tf @ sp.diags(idf).astype(np.float32))
        if check is not None:
            check()
        # At most half as many dimensions as texts: the randomized SVD's tail directions are
        # noise, and on a 231-chunk corpus keeping 218 of them moved a known passage from
        # rank 1 to rank 90 depending on the random seed.
        k = max(1, min(DIM, len(texts) // 2, int((df > 0).sum())))
        from threadpoolctl import threadpool_limits  # loaded on first use, not at start-up

        with threadpool_limits(limits=SVD_BLAS_THREADS, user_api="blas"):
            vt, s = _randomized_svd(x, k, seed)
        # Scaling is capped (x3.2 at most) so weak, poorly estimated directions stay quiet.
        rel = np.clip(s / s[0], MIN_RELATIVE_SINGULAR, 1.0) if s[0] > 0 else np.ones_like(s)
        scale = rel**SCALE_POWER
        return cls(idf, (vt * scale[:, None]).T, len(texts))

    def coverage(self, texts: Sequence[str]) -> float:
        """Share (0-1) of the texts' TF-IDF weight on features seen while fitting. Unseen
        words have no latent direction, so a text made of them cannot be found: the caller
        refits when coverage is low."""
        if not texts:
            return 1.0
        x = self._tfidf(texts)
        unseen = self.idf >= self.idf.max() - 1e-6  # df = 0 gives the largest idf
        total = float(x.sum())
        return 1.0 if total == 0 else 1.0 - float(x[:, unseen].sum()) / total

    def _tfidf(self, texts: Sequence[str]) -> sp.csr_matrix:
        x = term_matrix(texts)
        # idf scaling in place on the stored values: a 2^15 x 2^15 diagonal product per call
        # cost ~5 ms of a one-line query's embedding
        x.data *= self.idf[x.indices]
        return _l2_rows(x)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed *texts* -> ``(n, 256)`` float32, L2-normalised (zero rows for empty texts)."""
        return self.embed_with_norms(texts)[0]

    def norms(self, texts: Sequence[str]) -> np.ndarray:
        """L2 norm of each text's TF-IDF row before normalisation, ``(n,)`` float32 (0 for a
        text with no word): the denominator of ``rerank``, stored per indexed item so a search
        does not hash every word of its candidates."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        x = term_matrix(texts)
        x.data *= self.idf[x.indices]
        return _row_norms(x)

    def embed_with_norms(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(embed(texts), norms(texts))`` from one pass over the texts' features."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not len(texts):
            return out, np.zeros(0, dtype=np.float32)
        x = term_matrix(texts)
        x.data *= self.idf[x.indices]
        norms = _row_norms(x)
        x = _l2_rows(x)
        z = np.asarray(x @ self.projection)
        out[:, : z.shape[1]] = z
        lengths = np.linalg.norm(out, axis=1, keepdims=True)
        lengths[lengths == 0] = 1.0
        return out / lengths, norms

    def rerank(self, query: str, texts: Sequence[str], norms: Sequence[float | None] | None = None) -> np.ndarray:
        """TF-IDF cosine of *query* with each text (float32, 0-1): sharper than the 256-d
        projection for exact terms, used to re-order the FAISS candidates.

        The dot product counts only the query's own words and word pairs in each text (a text
        word that merely hashes into a query word's bucket does not count: with 2^15 buckets
        about one candidate in ten shared such a collision, e.g. "packages" with "how do").
        The norms are the hashed rows' (``norms``); pass them per text (None where unknown)
        and only the rest are computed: hashing every word of 100 candidates was 30 ms of a
        100k-chunk search (bench/bench_hybrid.py)."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        words = _TOKEN.findall(query.lower())
        terms = Counter(words) + Counter(f"{a} {b}" for a, b in zip(words, words[1:]))
        bucket = {t: zlib.crc32(t.encode("utf-8")) & (N_FEATURES - 1) for t in terms}
        q = Counter()
        for t, n in terms.items():
            q[bucket[t]] += n
        if not q:
            return np.zeros(len(texts), dtype=np.float32)
        ids = np.fromiter(q.keys(), dtype=np.int64)
        q_weight = dict(zip(q.keys(), ((1.0 + np.log(np.fromiter(q.values(), dtype=np.float64))) * self.idf[ids]).tolist()))
        q_norm = float(np.sqrt(sum(w * w for w in q_weight.values()))) or 1.0
        known = list(norms) if norms is not None else [None] * len(texts)
        missing = [i for i, n in enumerate(known) if n is None]
        if missing:
            for i, n in zip(missing, self.norms([texts[i] for i in missing]).tolist()):
                known[i] = n
        unigrams = {t for t in terms if " " not in t}
        pairs = {tuple(t.split(" ")) for t in terms if " " in t}
        out = np.zeros(len(texts), dtype=np.float32)
        for i, text in enumerate(texts):
            if not known[i]:
                continue
            toks = _TOKEN.findall(text.lower())
            found = Counter(bucket[t] for t in toks if t in unigrams)
            if pairs:
                found.update(bucket[f"{a} {b}"] for a, b in zip(toks, toks[1:]) if (a, b) in pairs)
            if found:
                dot = sum(q_weight[f] * (1.0 + math.log(n)) * float(self.idf[f]) for f, n in found.items())
                out[i] = dot / (q_norm * known[i])
        return np.clip(out, 0.0, 1.0)

    def save(self, path: Path) -> None:
        """Write the model to *path* (``.npz``; the projection as float16, ~16 MB)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, idf=self.idf, projection=self.projection.astype(np.float16), n_fit=self.n_fit)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "LsaEmbedder":
        """Read a model written by ``save``. Raises ``OSError``/``ValueError`` for a bad file."""
        with np.load(Path(path)) as z:
            return cls(z["idf"], z["projection"].astype(np.float32), int(z["n_fit"]))
