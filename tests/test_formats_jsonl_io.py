"""Streaming JSONL / JSON-array / CSV readers and the atomic JSONL writer."""

import json

import pytest

from fineflow_desktop.core import jsonl_io
from fineflow_desktop.core.jsonl_io import AtomicJsonlWriter, BadRecord, ReadPosition, iter_records, sniff_container

from conftest import FIXTURES

FMT = FIXTURES / "formats"


def _records(path, **kw):
    return list(iter_records(path, **kw))


def test_sniff_containers():
    assert sniff_container(FMT / "v1_sft_openai_sample.jsonl") == "jsonl"
    assert sniff_container(FMT / "alpaca_en_demo_sample.json") == "json-array"
    assert sniff_container(FMT / "transcripts_qa.csv") == "csv"


def test_jsonl_bad_lines_are_reported_with_their_numbers(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"a": 1}\n\n{"a": 2\n[1, 2]\n\xff\xfe{"a": 3}\n{"a": 4}\r\n')
    out = _records(p)
    assert [line for line, _ in out] == [1, 3, 4, 5, 6]
    assert out[0][1] == {"a": 1} and out[4][1] == {"a": 4}
    assert isinstance(out[1][1], BadRecord) and "invalid JSON" in out[1][1].reason
    assert out[2][1] == [1, 2]  # valid JSON, the schema layer rejects it
    assert isinstance(out[3][1], BadRecord) and "UTF-8" in out[3][1].reason


def test_json_array_elements_and_line_numbers_match_the_real_file():
    path = FMT / "alpaca_en_demo_sample.json"
    data = json.loads(path.read_text())
    out = _records(path)
    assert [r for _, r in out] == data
    lines = path.read_text().splitlines()
    for line, _ in out:
        assert lines[line - 1].strip() == "{"


@pytest.mark.parametrize("chunk", [7, 64, 1000])
def test_json_array_across_tiny_buffers(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(jsonl_io, "CHUNK_BYTES", chunk)
    data = json.loads((FMT / "glaive_toolcall_sample.json").read_text())[:8] + [1.5e10, "ünïcödé", None, 12345]
    p = tmp_path / "a.json"
    p.write_text(json.dumps(data, indent=1, ensure_ascii=False))
    assert [r for _, r in _records(p)] == data


def test_json_array_resyncs_after_a_broken_element(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl_io, "CHUNK_BYTES", 50)
    text = '[\n  {"a": 1},\n  {"a": 2,, "b": 3},\n  {"a": 4,\n   "c": [1, 2]},\n  {"a": 5}\n]\n'
    p = tmp_path / "b.json"
    p.write_text(text)
    out = _records(p)
    assert [(line, r) for line, r in out if not isinstance(r, BadRecord)] == [(2, {"a": 1}), (4, {"a": 4, "c": [1, 2]}), (6, {"a": 5})]
    bad = [(line, r) for line, r in out if isinstance(r, BadRecord)]
    assert len(bad) == 1 and bad[0][0] == 3


def test_json_array_unclosed_and_single_line_errors(tmp_path):
    p = tmp_path / "c.json"
    p.write_text('[{"a": 1}, {"a": 2')
    out = _records(p)
    assert out[0] == (1, {"a": 1}) and isinstance(out[1][1], BadRecord)
    p.write_text('[{"a": 1}, {"a": }, {"a": 3}]')
    out = _records(p)
    assert out[0][1] == {"a": 1} and isinstance(out[-1][1], BadRecord) and len(out) == 2


def test_single_pretty_object_file(tmp_path):
    p = tmp_path / "d.json"
    p.write_text(json.dumps({"messages": [{"role": "user", "content": "hi"}]}, indent=2))
    assert sniff_container(p) == "json-objects"
    assert [line for line, _ in _records(p)] == [1]


def test_csv_rows_with_multiline_fields_keep_their_start_line(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text('q,a\n"line one\nline two",x\n,\nq3,a3,extra\nq4,a4\n', encoding="utf-8")
    out = _records(p)
    assert out[0] == (2, {"q": "line one\nline two", "a": "x"})
    assert isinstance(out[1][1], BadRecord) and out[1][0] == 5
    assert out[2] == (6, {"q": "q4", "a": "a4"})


def test_csv_in_latin1_is_detected(tmp_path):
    p = tmp_path / "f.csv"
    p.write_bytes("frage,antwort\nWas kostet ein Brötchen in München?,Etwa 50 Cent für ein Brötchen.\n".encode("cp1252"))
    out = _records(p)
    assert out[0][1]["frage"].startswith("Was kostet ein Brötchen")


def test_read_position_reaches_file_size(tmp_path):
    pos = ReadPosition()
    path = FMT / "v1_sft_openai_sample.jsonl"
    for _ in iter_records(path, position=pos):
        assert 0 <= pos.bytes_read() <= path.stat().st_size
    assert pos.bytes_read() == path.stat().st_size == pos.total


def test_atomic_writer_replaces_only_on_success(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with AtomicJsonlWriter(target) as w:
            w.write({"x": "é"})
            raise RuntimeError("boom")
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]  # no temp file left behind
    with AtomicJsonlWriter(target) as w:
        w.write({"x": "é"})
        w.write({"y": [1]})
    assert target.read_bytes().decode("utf-8") == '{"x": "é"}\n{"y": [1]}\n'


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_follow_the_umask(tmp_path, umask, mode):
    """Exports used to be 0600 whatever the umask (mkstemp's mode survived the rename)."""
    import os
    import stat

    old = os.umask(umask)
    try:
        with AtomicJsonlWriter(tmp_path / "out.jsonl") as w:
            w.write({"a": 1})
        (tmp_path / "plain.txt").write_text("x")  # what any other file gets
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.jsonl").stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode) == mode
