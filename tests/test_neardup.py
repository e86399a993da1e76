"""core.neardup: MinHash LSH over character 5-grams finds planted edited copies, not strangers."""

import numpy as np
import pytest

from curation_helpers import edit_words, paragraphs
from fineflow_desktop.core import neardup
from fineflow_desktop.core.neardup import NearDupPair, find_pairs, group_pairs, jaccard_shingles, shingle_hashes


@pytest.fixture(scope="module")
def corpus():
    texts = []
    for rel in ("library/json.rst.txt", "library/textwrap.rst.txt", "library/csv.rst.txt", "faq/general.rst.txt"):
        texts += paragraphs(rel, min_chars=200)
    # exact repeats inside the docs would blur the precision check below
    return list(dict.fromkeys(texts))


def test_shingles_ignore_case_and_whitespace_and_short_texts():
    assert np.array_equal(shingle_hashes("Hello   World"), shingle_hashes("hello world"))
    assert len(shingle_hashes("abc")) == 1 and len(shingle_hashes("")) == 0
    assert len(shingle_hashes("abcdefg")) == 3  # 7 chars -> 3 five-grams


def test_recall_on_planted_copies_edited_5_percent(corpus, pydoc_sources):
    originals = corpus[:60]
    copies = [edit_words(t, 0.05, seed=i) for i, t in enumerate(originals)]
    texts = corpus + copies
    ids = list(range(len(texts)))
    pairs = {(p.a, p.b) for p in find_pairs(ids, texts, threshold=0.7)}
    planted = {(i, len(corpus) + i) for i in range(len(originals))}
    recall = len(planted & pairs) / len(planted)
    assert recall >= 0.8, recall
    # precision: every reported pair really is >= ~0.6 exact Jaccard (estimate error margin)
    for a, b in pairs:
        assert jaccard_shingles(texts[a], texts[b]) >= 0.6


def test_unrelated_paragraphs_are_not_paired(corpus, pydoc_sources):
    texts = corpus[:80]
    pairs = find_pairs(list(range(len(texts))), texts, threshold=0.7)
    for p in pairs:  # the docs do repeat some boilerplate; anything paired must be truly similar
        assert jaccard_shingles(texts[p.a], texts[p.b]) >= 0.6


def test_threshold_is_configurable(corpus, pydoc_sources):
    originals = corpus[:30]
    copies = [edit_words(t, 0.25, seed=i) for i, t in enumerate(originals)]
    sims = [jaccard_shingles(a, b) for a, b in zip(originals, copies)]
    assert max(sims) < 0.85
    texts, n = originals + copies, len(originals)
    planted = {(i, n + i) for i in range(n)}
    strict = {(p.a, p.b) for p in find_pairs(list(range(2 * n)), texts, threshold=0.9)}
    loose = {(p.a, p.b) for p in find_pairs(list(range(2 * n)), texts, threshold=0.3)}
    assert not planted & strict
    # LSH is probabilistic: a pair just above the threshold is missed now and then
    assert len(planted & loose) >= 0.8 * n


def test_bad_threshold_raises():
    with pytest.raises(ValueError, match="threshold"):
        find_pairs([1], ["x"], threshold=0)
    with pytest.raises(ValueError, match="length"):
        find_pairs([1, 2], ["x"])


def test_group_pairs_is_transitive_and_sorted():
    groups = group_pairs([NearDupPair(5, 9, 0.8), NearDupPair(9, 12, 0.75), NearDupPair(1, 2, 0.9)])
    assert [g.members for g in groups] == [[1, 2], [5, 9, 12]]
    assert len(groups[1].edges) == 2


def test_signatures_estimate_the_jaccard_similarity(corpus, pydoc_sources):
    a, b = corpus[3], edit_words(corpus[3], 0.1, seed=3)
    sig = neardup.signatures([a, b])
    estimate = (sig[0] == sig[1]).mean()
    assert abs(estimate - jaccard_shingles(a, b)) < 0.15


def test_lsh_bands_keep_pairs_at_the_threshold_candidates():
    from fineflow_desktop.core.neardup import lsh_bands

    assert lsh_bands(0.6, 128) == 32  # (1/32)^(1/4) = 0.42 <= 0.6; 16 bands rise at 0.71
    assert lsh_bands(0.5, 64) == 16  # (1/16)^(1/4) = 0.5
    b = lsh_bands(0.6, 128)
    p_candidate = 1 - (1 - 0.7 ** (128 // b)) ** b  # a pair at Jaccard 0.7
    assert p_candidate > 0.99
