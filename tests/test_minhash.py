"""core.minhash gives datasketch 2.0.0's sketches, LSH bands and candidates (in the same order)
without importing datasketch, whose package import pulls in scipy.integrate and through it most
of SciPy (issue 13: 28 MB of the installers)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fineflow_desktop.core.minhash import MAX_HASH, LshIndex, affine_permutations, optimal_bands, sketch

datasketch = pytest.importorskip("datasketch")  # dev extra: the reference implementation
from datasketch.lsh import _optimal_param  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _texts(n: int, seed: int = 3) -> list[list[bytes]]:
    """Token sets with many near-duplicates: random word sets and edited copies of them."""
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}".encode() for i in range(400)]
    base = [list(rng.choice(vocab, size=rng.integers(5, 40), replace=False)) for _ in range(n // 2)]
    edited = [b[: max(1, len(b) - int(rng.integers(0, 4)))] + [vocab[int(rng.integers(400))]] for b in base]
    return base + edited + [[]]


@pytest.mark.parametrize("num_perm,seed", [(64, 1), (128, 1), (128, 7)])
def test_permutations_are_datasketch_affine32(num_perm, seed):
    ref = datasketch.MinHash(num_perm=num_perm, seed=seed).permutations
    assert np.array_equal(affine_permutations(num_perm, seed), ref) and ref.dtype == np.uint32


def test_sketches_equal_datasketch_minhash():
    texts = _texts(60)
    perms = affine_permutations(64)
    ref = datasketch.MinHash.bulk(texts, num_perm=64)
    for tokens, m in zip(texts, ref):
        assert np.array_equal(sketch(tokens, perms), m.hashvalues)
    assert (sketch([], perms) == MAX_HASH).all()


@pytest.mark.parametrize("num_perm", [64, 128])
def test_bands_equal_datasketch_for_the_thresholds_the_app_uses(num_perm):
    # pair scoring: 0.5 at 64; near-duplicates: threshold - 0.1 clamped to 0.2..0.9 at 128
    for threshold in [0.5, *np.round(np.arange(0.2, 0.91, 0.05), 2)]:
        assert optimal_bands(float(threshold), num_perm) == _optimal_param(float(threshold), num_perm, 0.5, 0.5)


@pytest.mark.parametrize("num_perm,threshold", [(64, 0.5), (128, 0.6), (128, 0.2)])
def test_lsh_candidates_and_their_order_equal_datasketch(num_perm, threshold):
    texts = _texts(400)
    perms = affine_permutations(num_perm)
    sigs = [sketch(t, perms) for t in texts]
    ours = LshIndex(threshold, num_perm)
    ref = datasketch.MinHashLSH(threshold=threshold, num_perm=num_perm)
    assert (ours.bands, ours.rows) == (ref.b, ref.r)
    for i, sig in enumerate(sigs):
        ours.insert(i, sig)
        ref.insert(i, datasketch.MinHash(num_perm=num_perm, hashvalues=sig, permutations=perms, scheme="affine32"),
                   check_duplication=False)
    found = 0
    for sig in sigs:
        got = ours.query(sig)
        assert got == ref.query(datasketch.MinHash(num_perm=num_perm, hashvalues=sig, permutations=perms,
                                                   scheme="affine32"))
        found += len(got) > 1
    assert found > 100  # the edited copies are found: the comparison is not vacuous


def test_lsh_refuses_what_datasketch_refuses():
    with pytest.raises(ValueError, match="fewer than 2 bands"):
        LshIndex(1.0, 128)
    with pytest.raises(ValueError):
        LshIndex(1.5, 128)
    with pytest.raises(ValueError, match="slots"):
        LshIndex(0.5, 64).insert("a", np.zeros(128, dtype=np.uint32))


def test_near_duplicates_and_pair_scoring_import_neither_datasketch_nor_scipy():
    code = (
        "import json, sys\n"
        "from fineflow_desktop.core import neardup\n"
        "from fineflow_desktop.services.pairs import scoring\n"
        "t = 'The quick brown fox jumps over the lazy dog near the river bank. ' * 3\n"
        "assert len(neardup.find_pairs([1, 2], [t, t.replace('lazy', 'sleepy')])) == 1\n"
        "scoring._minhashes(['how do I read a csv file'])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('datasketch', 'scipy'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
