"""Chunking invariants: token bound, heading paths, structure-first cuts, overlap."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fineflow_desktop.core.chunking import chunk_sections, labels_only, split_combined
from fineflow_desktop.core.dedup import norm_hash, normalize_for_hash
from fineflow_desktop.core.ingest import Section, parse_file
from fineflow_desktop.core.tokens import count_tokens

FIX = Path(__file__).parent / "fixtures" / "pydocs"


def test_small_sections_stay_whole_and_never_merge_across_top_level_paths():
    # round 20 combines small sections of one family; top-level siblings (no common heading) stay apart
    sections = [Section(["A"], "alpha one."), Section(["B"], "beta two."), Section(["C"], "gamma three.")]
    chunks = chunk_sections(sections)
    assert [(c.text, c.heading_path) for c in chunks] == [
        ("alpha one.", ["A"]),
        ("beta two.", ["B"]),
        ("gamma three.", ["C"]),
    ]
    assert all(c.n_tokens == count_tokens(c.text) for c in chunks)
    assert "part" not in chunks[0].meta  # unsplit sections carry no part info


# PostgreSQL's refentry app-postmaster.html as the DocBook parser gives it: four sections, 22 tokens
POSTMASTER = [
    Section(["postmaster"], "postmaster — PostgreSQL database server"),
    Section(["postmaster", "Synopsis"], "postmaster [option...]"),
    Section(["postmaster", "Description"], "postmaster is a deprecated alias of postgres."),
    Section(["postmaster", "See Also"], "postgres"),
]


def test_a_refentry_of_small_sections_is_one_chunk_under_its_name():
    chunks = chunk_sections(POSTMASTER)
    assert len(chunks) == 1
    c = chunks[0]
    assert c.heading_path == ["postmaster"]
    assert c.text == ("postmaster — PostgreSQL database server\n\n## Synopsis\n\npostmaster [option...]\n\n"
                      "## Description\n\npostmaster is a deprecated alias of postgres.\n\n## See Also\n\npostgres")
    assert c.n_tokens == count_tokens(c.text)
    # every member comes back whole, with its own path (the extractive generator reads these)
    assert split_combined(c.heading_path, c.text, c.meta) == [(s.heading_path, s.text) for s in POSTMASTER]
    assert split_combined(["x"], "plain", {}) == [(["x"], "plain")]


def test_small_siblings_combine_but_not_with_a_larger_one_nor_across_a_higher_section():
    body = "pg_dump is a utility for backing up a PostgreSQL database. " * 6
    sections = [
        Section(["pg_dump", "Examples"], body),  # not small: "See Also" does not join it
        Section(["pg_dump", "See Also"], "pg_dumpall, pg_restore, psql"),
        Section(["pg_dump", "Notes"], "Requires a running server."),
        # the tail of a deeper section (§2.3) never joins its parent's next sibling (§3)
        Section(["Guide", "2. Setup", "2.3 Notes"], "Restart the server."),
        Section(["Guide", "3. Usage"], "Run it."),
    ]
    chunks = chunk_sections(sections)
    assert [c.heading_path for c in chunks] == [
        ["pg_dump", "Examples"], ["pg_dump"], ["Guide", "2. Setup", "2.3 Notes"], ["Guide", "3. Usage"]]
    assert chunks[1].text == "## See Also\n\npg_dumpall, pg_restore, psql\n\n## Notes\n\nRequires a running server."


def test_sections_that_are_not_small_and_split_parts_are_never_combined():
    para = "The GtkAboutDialog offers a simple way to display information about a program like its logo, name. "
    sections = [
        Section(["GtkAboutDialog", "Description"], para),  # > 20 tokens each: stay apart
        Section(["GtkAboutDialog", "Usage"], para),
        Section(["GtkAboutDialog", "Functions"], "\n\n".join([para * 3] * 4)),  # split in parts
        Section(["GtkAboutDialog", "Since"], "Since: 2.6"),  # small, but after a split part
    ]
    chunks = chunk_sections(sections, max_tokens=128, overlap_tokens=16)
    assert all("combined" not in c.meta for c in chunks)
    assert chunks[-1].heading_path == ["GtkAboutDialog", "Since"]
    # and nothing is combined over the chunk budget
    big = [Section(["A"], "tiny."), Section(["A", "B"], para * 4)]  # 80 tokens; 85 combined
    assert [c.heading_path for c in chunk_sections(big, max_tokens=82, overlap_tokens=8)] == [["A"], ["A", "B"]]


def test_a_combined_chunk_keeps_the_pages_it_spans():
    sections = [Section(["Manual", "1 Intro"], "Read this first.", {"page": 3}),
                Section(["Manual", "2 Setup"], "Install it.", {"page": 4})]
    (c,) = chunk_sections(sections)
    assert c.heading_path == ["Manual"] and c.meta["page"] == 3 and c.meta["page_end"] == 4
    assert c.text == "## 1 Intro\n\nRead this first.\n\n## 2 Setup\n\nInstall it."


def test_split_prefers_paragraphs_and_overlaps_only_when_split():
    paras = [f"Paragraph {i} " + " ".join(f"word{i}_{j}." for j in range(30)) for i in range(12)]
    text = "\n\n".join(paras)
    chunks = chunk_sections([Section(["Doc", "Long"], text, {"line": 7})], max_tokens=200, overlap_tokens=30)
    assert len(chunks) > 3
    for c in chunks:
        assert c.n_tokens <= 200 and c.n_tokens == count_tokens(c.text)
        assert c.heading_path == ["Doc", "Long"] and c.meta["line"] == 7
        assert c.text in text  # exact substrings: formatting preserved
    assert [c.meta["part"] for c in chunks] == list(range(1, len(chunks) + 1))
    assert chunks[0].meta["overlap_chars"] == 0
    for prev, cur in zip(chunks, chunks[1:]):
        ov = cur.meta["overlap_chars"]
        assert ov > 0 and prev.text.endswith(cur.text[:ov].rstrip())
        assert 10 <= count_tokens(cur.text[:ov]) <= 40  # ~overlap_tokens, snapped to words
    # The first chunk ends at a paragraph boundary (structure first).
    assert chunks[0].text.rstrip().endswith(".") and text[len(chunks[0].text) : len(chunks[0].text) + 2] == "\n\n"


def test_no_overlap_when_zero():
    text = "\n\n".join("Sentence number %d is here. " % i * 8 for i in range(20))
    chunks = chunk_sections([Section([], text)], max_tokens=100, overlap_tokens=0)
    assert "".join(c.text for c in chunks).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_giant_word_is_hard_split_at_token_boundaries():
    blob = "x" * 5000 + " " + "é" * 3000  # no spaces inside either run
    chunks = chunk_sections([Section(["B"], blob)], max_tokens=64, overlap_tokens=0)
    assert all(c.n_tokens <= 64 for c in chunks)
    assert "".join(c.text for c in chunks).replace(" ", "") == blob.replace(" ", "")
    assert "\ufffd" not in "".join(c.text for c in chunks)


def test_bad_sizes_rejected():
    with pytest.raises(ValueError):
        chunk_sections([], max_tokens=4)
    with pytest.raises(ValueError):
        chunk_sections([], max_tokens=100, overlap_tokens=60)


def test_real_docs_respect_bound_and_paths():
    for name in ("json.rst.txt", "errors.rst.txt", "general.rst.txt", "textwrap.html"):
        doc = parse_file(FIX / name)
        chunks = chunk_sections(doc.sections, max_tokens=256, overlap_tokens=32)
        assert chunks
        paths = {tuple(s.heading_path) for s in doc.sections}
        for c in chunks:
            assert 0 < c.n_tokens <= 256
            # a chunk of combined small sections carries their common path (round 20)
            assert tuple(c.heading_path) in paths or any(p[:len(c.heading_path)] == tuple(c.heading_path) for p in paths)
            assert c.n_tokens == count_tokens(c.text)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=400), min_size=1, max_size=6), st.integers(16, 120))
def test_property_token_bound_and_coverage(texts, max_tokens):
    sections = [Section([str(i)], t) for i, t in enumerate(texts)]
    chunks = chunk_sections(sections, max_tokens=max_tokens, overlap_tokens=max_tokens // 4)
    for c in chunks:
        assert c.n_tokens <= max_tokens
        assert c.text.strip()
    # every non-space character of every section appears in some chunk of that section (a section of only
    # labels, "a:", gives none: round 19)
    for i, t in enumerate(texts):
        if labels_only(t):
            continue
        mine = "".join(c.text for c in chunks if c.heading_path == [str(i)])
        assert set("".join(t.split())) <= set(mine)


def test_normalize_for_hash_rules():
    assert normalize_for_hash("Hello,  World!\n") == "hello world"
    assert normalize_for_hash("ｆｕｌｌ\u200bwidth") == "fullwidth"
    assert normalize_for_hash("a.b") != normalize_for_hash("ab")
    assert norm_hash("The End.") == norm_hash("the end") and len(norm_hash("x")) == 64
    assert norm_hash("one") != norm_hash("two")


def _fence_lines(text: str) -> int:
    return sum(line.lstrip().startswith("```") for line in text.split("\n"))


def test_code_block_that_fits_is_never_cut():
    prose = " ".join(f"Sentence {i} explains the step." for i in range(40))
    code = "```python\n" + "\n".join(f"value_{i} = compute({i})" for i in range(25)) + "\n```"
    text = f"{prose}\n\n{code}\n\nAfter the code, more words follow here."
    chunks = chunk_sections([Section(["S"], text)], max_tokens=300, overlap_tokens=40)
    assert len(chunks) >= 2
    holders = [c for c in chunks if "value_0 =" in c.text]
    assert holders and all(code in c.text for c in holders)  # whole, fences included
    for c in chunks:
        assert _fence_lines(c.text) % 2 == 0, c.text
        assert c.n_tokens <= 300 and c.n_tokens == count_tokens(c.text)


def test_code_block_larger_than_a_chunk_is_closed_and_reopened():
    lines = [f"    call_number_{i}(argument_{i}, other_{i})" for i in range(200)]
    text = "Intro sentence.\n\n```c\n" + "\n".join(lines) + "\n```\n\nOutro sentence."
    chunks = chunk_sections([Section(["S"], text)], max_tokens=128, overlap_tokens=16)
    assert len(chunks) > 5
    seen = []
    for c in chunks:
        assert c.n_tokens <= 128 and c.n_tokens == count_tokens(c.text)
        body = c.text.split("\n")
        assert _fence_lines(c.text) % 2 == 0, c.text
        code = [ln for ln in body if ln.startswith("    call_number_")]
        if code:
            # every code line is whole and inside a ```c ... ``` block of this chunk
            opener = next(i for i, ln in enumerate(body) if ln.startswith("```"))
            assert body[opener] == "```c" and body[-1] == "```" or "Outro" in c.text
            seen += code
    assert set(seen) == set(lines)  # nothing lost, no line torn in two


def test_definition_terms_stay_with_their_definitions_and_rows_stay_whole():
    entries = [f"option-{i}\n: Sets option {i}. It changes behaviour number {i} in several ways." for i in range(60)]
    rows = [f"cell {i}. first | cell {i}. second | cell {i}. third" for i in range(60)]
    text = "\n\n".join(entries) + "\n\n" + "\n".join(rows)
    chunks = chunk_sections([Section(["S"], text)], max_tokens=100, overlap_tokens=20)
    for c in chunks:
        lines = c.text.split("\n")
        assert not lines[-1].startswith("option-"), c.text  # a term never ends a chunk
        assert not lines[0].startswith(": ") or c.meta["overlap_chars"] > 0 and lines[0] in text
        for ln in lines:
            if " | " in ln:
                assert ln in rows, ln  # a table row is never cut
    firsts = [c.text.split("\n")[0] for c in chunks]
    assert not any(f.startswith(": ") for f in firsts)


def test_a_section_over_page_breaks_gives_each_chunk_its_pages():
    paras = [f"Paragraph {i} " + " ".join(f"w{j}" for j in range(25)) + "." for i in range(9)]
    text = "\n\n".join(paras)
    starts = [[text.index("Paragraph 3"), 8], [text.index("Paragraph 6"), 9]]
    chunks = chunk_sections([Section(["S"], text, {"page": 7, "page_starts": starts})], max_tokens=150, overlap_tokens=0)
    assert len(chunks) > 3 and not any("page_starts" in c.meta for c in chunks)
    for c in chunks:
        first = int(c.text.split()[1])  # "Paragraph N ..." opens every chunk (paragraph cuts)
        assert c.meta["page"] == 7 + first // 3
        last = int(c.text.split("Paragraph ")[-1].split()[0])
        assert c.meta.get("page_end", c.meta["page"]) == 7 + last // 3
    small = chunk_sections([Section(["S"], "One. Two.", {"page": 3, "page_starts": [[5, 4]]})])
    assert small[0].meta == {"page": 3, "page_end": 4}


def test_a_code_block_that_opens_a_definition_is_a_fence_too():
    code = "\n".join(f"set_option_{i} value_{i}" for i in range(60))
    text = "Intro sentence.\n\nunalias\n: ```\n" + code + "\n```\n\nRemove each name from the list."
    chunks = chunk_sections([Section(["S"], text)], max_tokens=64, overlap_tokens=8)
    for c in chunks:
        lines = c.text.split("\n")
        fences = [ln for ln in lines if ln.removeprefix(": ").startswith("```")]
        assert len(fences) % 2 == 0, c.text
        assert all(ln in ("```", ": ```") for ln in fences)  # reopened as a plain fence
        assert c.n_tokens <= 64


def test_overlap_begins_at_a_sentence_start():
    # One long paragraph of 9-word sentences: a word-start overlap of ~30 tokens would open most
    # chunks mid-sentence ("file. In eps mode…" in the chunk view); a sentence start lies near.
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda".split()
    sentences = [" ".join(words[(i + j) % len(words)] for j in range(9)).capitalize() + f" number {i}."
                 for i in range(120)]
    text = " ".join(sentences)
    chunks = chunk_sections([Section(["S"], text)], max_tokens=120, overlap_tokens=30)
    assert len(chunks) > 5
    for prev, cur in zip(chunks, chunks[1:]):
        ov = cur.meta["overlap_chars"]
        assert ov > 0 and prev.text.endswith(cur.text[:ov].rstrip())
        assert cur.text[0].isupper(), cur.text[:40]  # every sentence here starts with a capital
        assert cur.text[:ov].rstrip().endswith(".")  # the overlap is whole sentences
        assert 15 <= count_tokens(cur.text[:ov]) <= 45
    assert all(c.n_tokens <= 120 for c in chunks)


def test_overlap_without_sentence_ends_still_starts_at_a_word():
    text = " ".join(f"token{i}" for i in range(2000))  # no sentence or line boundary at all
    chunks = chunk_sections([Section(["S"], text)], max_tokens=100, overlap_tokens=20)
    for prev, cur in zip(chunks, chunks[1:]):
        ov = cur.meta["overlap_chars"]
        assert ov > 0 and cur.text.startswith("token") and prev.text.endswith(cur.text[:ov].rstrip())
        assert 10 <= count_tokens(cur.text[:ov]) <= 25


def test_overlap_in_code_repeats_whole_lines_with_their_indentation():
    lines = [f"    {i:4d}  value_{i} = compute(value_{i - 1}, 0x{i:04x})  # step {i}" for i in range(200)]
    text = "```\n" + "\n".join(lines) + "\n```"
    chunks = chunk_sections([Section(["S"], text)], max_tokens=150, overlap_tokens=30)
    assert len(chunks) > 5
    for cur in chunks[1:]:
        assert cur.meta["overlap_chars"] > 0
        body = cur.text.split("\n")[1:-1]  # between the reopened fence and its closing line
        assert body and all(line in lines for line in body), body[:2]


def test_overlap_does_not_begin_at_a_hard_wrapped_line_inside_a_sentence():
    # pydoc's <br> docstrings: lines break inside sentences ("…if no item is available\nin that case).")
    para = ("Remove and return an item from the queue. If optional args block is true and timeout is None,\n"
            "block if necessary until an item is available. If timeout is a non-negative number,\n"
            "it blocks at most timeout seconds and raises the Empty exception if no item was available\n"
            "within that time. Otherwise, return an item if one is immediately available, else raise\n"
            "the Empty exception (timeout is ignored in that case).")
    text = "\n\n".join(f"get_{i}(self)\n: {para}" for i in range(12))
    chunks = chunk_sections([Section(["S"], text)], max_tokens=150, overlap_tokens=30)
    assert len(chunks) > 4
    for cur in chunks[1:]:
        first = cur.text.split("\n", 1)[0]
        assert first.startswith(("get_", ": ", "If ", "It ", "Otherwise", "block ", "Remove")) or first[0].isupper(), first
        assert not first.startswith(("in that", "within", "the Empty", "it blocks")), first


def test_a_code_block_in_a_list_item_closes_where_it_ends():
    # html11: Haddock's base docs hold law lists, "- ```" / "  code" / "  ```" (html_lists); the
    # indented closing line was read as an opening one, so later prose was "inside code": chunks
    # got a closing ``` appended after prose and a reopening ``` line before it
    import re

    from fineflow_desktop.core.chunking import chunk_sections, labels_only, split_combined
    from fineflow_desktop.core.ingest.base import Section

    prose = " ".join(f"Sentence number {i} of the plain prose that follows the list." for i in range(60))
    text = ("- ```\n  (*) `on` id = (*)\n  ```\n- ```\n  ((*) `on` f) `on` g = (*) `on` (f . g)\n  ```\n"
            "- ```\n  flip on f . flip on g = flip on (g . f)\n  ```\n\n" + prose)
    drafts = chunk_sections([Section(["Laws"], text)], 40, 8)
    assert len(drafts) > 3
    for d in drafts:
        in_code = False
        for line in d.text.split("\n"):
            if re.match(r"(?:: |- |\d+\. )?[ \t]*```", line):
                in_code = not in_code
            else:
                assert not (in_code and "Sentence number" in line), d.text  # prose is never inside code
        assert not in_code, d.text


def _perltoc_entry_section() -> Section:
    """perltoc's shape (round 18 trap): entries "term" / ": text", one whose text (sentences of
    names joined by commas) is larger than the room left in the chunk."""
    before = "\n\n".join(f"Option {i}\n: " + ", ".join(f"opt{i}_{j}" for j in range(12)) + "." for i in range(11))
    big = " ".join(", ".join(f"Surrogates {k}_{j}" for j in range(25)) + "." for k in range(8))
    return Section(["perlunicode"], before + "\n\nUnicode Support\n: " + big + "\n\nBugs\n: None known.")


def test_a_chunk_never_ends_on_a_definition_marker_or_its_term():
    for size in range(10, 14):  # the room left before the entry: a few sizes, one at least ends on the marker in old code
        section = _perltoc_entry_section()
        section = Section(section.heading_path, "Filler words here." * size + "\n\n" + section.text)
        chunks = chunk_sections([section], max_tokens=512, overlap_tokens=64)
        assert len(chunks) > 1
        for c in chunks[:-1]:
            last = c.text.rstrip().split("\n")[-1]
            assert last.strip() != ":" and not last.startswith("Unicode Support"), c.text[-80:]


def test_a_lead_in_goes_with_the_code_it_introduces():
    para = " ".join(f"The xBestIndex method fills field {i} of the structure." for i in range(30))
    code = "\n".join(f"  int field_{i};" for i in range(40))
    text = para + " The sqlite3_index_info structure looks like this:\n\n```\nstruct sqlite3_index_info {\n" + code + "\n};\n```"
    chunks = chunk_sections([Section(["vtab"], text)], max_tokens=512, overlap_tokens=64)
    assert len(chunks) == 2
    assert not chunks[0].text.rstrip().endswith(":"), chunks[0].text[-80:]
    assert "looks like this:\n\n```\nstruct" in chunks[1].text


def test_a_section_of_only_labels_gives_no_chunk():
    sections = [Section(["UPSERT", "1. Syntax"], "upsert-clause:"),
                Section(["SELECT", "1. Syntax"], "select-stmt:\n\ncommon-table-expression:\n\nexpr:"),
                Section(["UPSERT", "2. Description"], "UPSERT is a clause added to INSERT. For example:")]
    chunks = chunk_sections(sections)
    assert [c.heading_path[-1] for c in chunks] == ["2. Description"]
    code = chunk_sections([Section(["x"], "```\nlabel:\n```")])  # code is never a label
    assert len(code) == 1


def test_a_tiny_first_part_joins_the_listing_it_introduces():
    # sessionintro.html: one sentence, then a listing too large to share a 448-token core with it
    intro = "The example code below demonstrates the steps involved in capturing a changeset while executing SQL commands."
    code = "\n".join(f"  rc = sqlite3session_attach(pSession, \"table_{i}\");  /* step {i} */" for i in range(20))
    text = intro + "\n\n```\n" + code + "\n```\n\n" + " ".join(f"Step {i} is explained here in a sentence." for i in range(40))
    chunks = chunk_sections([Section(["sessionintro"], text)], max_tokens=512, overlap_tokens=64)
    assert all(c.n_tokens >= 20 for c in chunks), [c.n_tokens for c in chunks]
    assert chunks[0].text.startswith(intro) and "```" in chunks[0].text
    assert all(c.n_tokens <= 512 for c in chunks)
