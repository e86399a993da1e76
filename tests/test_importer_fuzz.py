"""Fuzz every importer with truncated and bit-flipped real/generated files.

Each parse must return a ``ParsedDocument`` or raise ``ParseError`` naming the file, within a
time limit (SIGALRM) — never another exception, never a hang.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fineflow_desktop.core.ingest import ParsedDocument, ParseError, parse_file
from test_importers_samples import sample_docx, sample_epub, sample_pdf, sample_xlsx

FIX = Path(__file__).parent / "fixtures" / "pydocs"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
TIME_LIMIT_S = 5


def _samples() -> dict[str, bytes]:
    docx_real = REAL / "docx" / "par-known-paragraphs.docx"
    return {
        "f.pdf": sample_pdf(),
        "f.docx": docx_real.read_bytes() if docx_real.exists() else sample_docx(),
        "g.docx": sample_docx(),
        "f.xlsx": sample_xlsx(),
        "f.epub": sample_epub(),
        "f.html": (FIX / "textwrap.html").read_bytes()[:20000],
        "f.rst.txt": (FIX / "general.rst.txt").read_bytes()[:6000],
        "f.md": b"# T\n\nText\n\n## U\n\n```\n# code\n```\n\nSetext\n---\n",
        "f.jsonl": b'{"a": "x"}\n{"b": [1, 2, {"c": null}]}\n',
        "f.json": b'[{"a": "x"}, {"b": "y"}]',
        "f.csv": b'a,b\n"x, y",z\n1,2\n',
    }


SAMPLES = _samples()


class _Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    def handler(signum, frame):
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _check(name: str, data: bytes) -> None:
    try:
        with time_limit(TIME_LIMIT_S):
            result = parse_file(Path(name), data)
    except ParseError as exc:
        assert name in str(exc)
        return
    except _Timeout:
        pytest.fail(f"{name}: parse took over {TIME_LIMIT_S} s on {len(data)} mutated bytes")
    assert isinstance(result, ParsedDocument)
    for s in result.sections:
        assert isinstance(s.text, str) and isinstance(s.heading_path, list)


mutation = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 7)), min_size=1, max_size=8)),
    st.tuples(st.just("splice"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
)


def _mutate(data: bytes, m) -> bytes:
    kind = m[0]
    if kind == "truncate":
        return data[: int(len(data) * m[1])]
    if kind == "flip":
        buf = bytearray(data)
        for where, bit in m[1]:
            i = min(int(where * len(buf)), len(buf) - 1)
            buf[i] ^= 1 << bit
        return bytes(buf)
    i = int(m[1] * len(data))
    return data[:i] + m[2] + data[i:]


@pytest.mark.parametrize("name", sorted(SAMPLES))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(m=mutation)
def test_mutated_file_gives_document_or_parse_error(name, m):
    _check(name, _mutate(SAMPLES[name], m))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_unmutated_samples_parse_and_empty_files_fail_cleanly(name):
    assert parse_file(Path(name), SAMPLES[name]).sections
    _check(name, b"")


@pytest.mark.parametrize("name", ["f.docx", "f.epub", "f.xlsx"])
def test_a_zip_asking_for_a_newer_zip_version_is_a_parse_error(name):
    # Hypothesis found it: one flipped byte in the central directory's "version needed to
    # extract" made zipfile raise NotImplementedError("zip file version 8.4") past the importer.
    data = bytearray(SAMPLES[name])
    at = data.index(b"PK\x01\x02")  # first central directory entry
    data[at + 6] = 84
    with pytest.raises(ParseError, match="broken zip container: zip file version 8.4"):
        parse_file(Path(name), bytes(data))
