"""services.pairs: id queries (sort/filter SQL), row fetches, mutations for undo, FTS sync,
validity rules in SQL vs core.validation, derived index upkeep. Real Alpaca/ShareGPT data."""

from __future__ import annotations

import json

import pytest
from test_pairs_data import build_dataset, db_row

from fineflow_desktop.core.formats.canonical import example_from_row, example_hash
from fineflow_desktop.core.tokens import chat_tokens
from fineflow_desktop.core.validation import Example, validate_examples
from fineflow_desktop.services import pairs as svc
from fineflow_desktop.services.datasets import get_or_create_dataset


@pytest.fixture
def data(workspace):
    ds, ids = build_dataset(workspace)
    return workspace, ds, ids


def ids_of(ws, ds, **filters):
    return list(svc.query_pair_ids(ws, ds, svc.PairFilter(**filters)))


# ---- ordering ----------------------------------------------------------------------------------


def test_default_order_is_id_and_returns_array(data):
    ws, ds, ids = data
    got = svc.query_pair_ids(ws, ds)
    assert got.typecode == "q" and list(got) == sorted(ids)


@pytest.mark.parametrize("key, column", [("tokens", "n_tokens"), ("quality", "quality"), ("validated", "validated"),
                                         ("source", "source")])
@pytest.mark.parametrize("desc", [False, True])
def test_sort_matches_python_sort_with_id_tiebreak(data, key, column, desc):
    ws, ds, ids = data
    svc.rescore_dataset(ws, ds)
    svc.set_validated(ws, ids[::3], True)
    rows = svc.fetch_pairs(ws, ids)
    got = list(svc.query_pair_ids(ws, ds, sort=key, descending=desc))

    def sort_key(r):  # SQLite sorts NULL first
        v = r[column]
        return (v is not None, v if v is not None else 0, r["id"])

    assert got == [r["id"] for r in sorted(rows, key=sort_key, reverse=desc)]


def test_text_sorts_are_case_insensitive_and_every_key_runs(data):
    ws, ds, ids = data
    rows = {r["id"]: r for r in svc.fetch_pairs(ws, ids)}
    got = list(svc.query_pair_ids(ws, ds, sort="user"))
    keys = [rows[i]["user"].strip(" ").lower() for i in got]
    assert keys == sorted(keys)
    for key in svc.SORT_SQL:
        assert sorted(svc.query_pair_ids(ws, ds, sort=key)) == sorted(ids)
    with pytest.raises(ValueError, match="unknown sort key"):
        svc.query_pair_ids(ws, ds, sort="nonsense; DROP TABLE pairs")


# ---- filters -------------------------------------------------------------------------------------


def test_fts_search_matches_words_prefix_and_is_injection_safe(data):
    ws, ds, ids = data
    rows = {r["id"]: r for r in svc.fetch_pairs(ws, ids)}
    got = ids_of(ws, ds, text="color")
    assert got and all("color" in (rows[i]["user"] + rows[i]["assistant"]).lower() for i in got)
    prefix = ids_of(ws, ds, text="colo")  # last word is a prefix while typing
    assert set(got) <= set(prefix)
    assert ids_of(ws, ds, text="colo ") == []  # a trailing space ends the word: no prefix match
    both = ids_of(ws, ds, text="color yellow")
    assert both and set(both) <= set(got)
    for hostile in ('AND OR NOT', '"unbalanced', 'NEAR(a b)', "col*umn -x", "' OR 1=1 --", "*", "()"):
        ids_of(ws, ds, text=hostile)  # never an FTS syntax error


def test_fts_index_follows_edits_deletes_and_restores(data):
    ws, ds, ids = data
    pid = ids[3]
    assert pid not in ids_of(ws, ds, text="zanzibarian")
    svc.update_pair(ws, pid, user="A question about zanzibarian spice")
    assert ids_of(ws, ds, text="zanzibarian") == [pid]
    snaps = svc.delete_pairs(ws, [pid])
    assert ids_of(ws, ds, text="zanzibarian") == []
    svc.restore_pairs(ws, snaps)
    assert ids_of(ws, ds, text="zanzibarian") == [pid]


def test_range_and_choice_filters_compose(data):
    ws, ds, ids = data
    svc.rescore_dataset(ws, ds)
    rows = svc.fetch_pairs(ws, ids)
    hi = {r["id"] for r in rows if r["quality"] >= 0.8}
    assert set(ids_of(ws, ds, quality_min=0.8)) == hi
    assert set(ids_of(ws, ds, quality_max=0.5)) == {r["id"] for r in rows if r["quality"] <= 0.5}
    short = {r["id"] for r in rows if 30 <= r["n_tokens"] <= 100}
    assert set(ids_of(ws, ds, tokens_min=30, tokens_max=100)) == short
    assert set(ids_of(ws, ds, source="extractive")) == set(ids[:10])
    doc = rows[0]["document_id"]
    assert set(ids_of(ws, ds, document_id=doc)) == set(ids[:10])
    assert set(ids_of(ws, ds, source="extractive", quality_min=0.8)) == set(ids[:10]) & hi
    svc.set_validated(ws, ids[:5], True)
    assert ids_of(ws, ds, validated=True) == ids[:5]
    assert len(ids_of(ws, ds, validated=False)) == len(ids) - 5
    svc.add_tag(ws, ids[2:4], "checked")
    assert ids_of(ws, ds, tag="checked") == ids[2:4]
    assert ids_of(ws, ds, tag="checked", validated=True) == ids[2:4]
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE pairs SET template_version_id = 7 WHERE id IN (?, ?)", (ids[0], ids[50]))
    assert ids_of(ws, ds, template_version_id=7) == [ids[0], ids[50]]
    opts = svc.filter_options(ws, ds)
    assert opts["template_versions"] == [7] and opts["tags"] == ["checked"] and opts["documents"][0][0] == doc


def test_flag_filters_duplicate_injection_too_long(data):
    ws, ds, ids = data
    rows = svc.fetch_pairs(ws, ids)
    by_user: dict[str, list[int]] = {}
    for r in rows:
        by_user.setdefault(r["user"].strip(" ").lower(), []).append(r["id"])
    expected_dups = {i for group in by_user.values() if len(group) > 1 for i in group}
    assert expected_dups, "the real fixture contains exact duplicates"
    assert set(ids_of(ws, ds, flagged="duplicate")) == expected_dups
    some = sorted(expected_dups)[0]
    group = next(g for g in by_user.values() if some in g)
    assert svc.duplicates_of(ws, some) == sorted(set(group) - {some})
    # injection: flagged source chunk, or flags stored on the pair itself
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE chunks SET is_flagged = 1 WHERE id = (SELECT chunk_id FROM pairs WHERE id = ?)",
                             (ids[1],))
    svc.update_pair(ws, ids[20], meta={"injection_flags": [{"reason": "ignore previous", "match": "x"}]})
    assert set(ids_of(ws, ds, flagged="injection")) == {ids[1], ids[20]}
    longest = max(rows, key=lambda r: r["n_tokens"])
    limit = longest["n_tokens"] - 1
    assert list(svc.query_pair_ids(ws, ds, svc.PairFilter(flagged="too_long"), token_limit=limit)) == [longest["id"]]
    anyflag = set(svc.query_pair_ids(ws, ds, svc.PairFilter(flagged="any"), token_limit=limit))
    assert anyflag == expected_dups | {ids[1], ids[20], longest["id"]}
    with pytest.raises(ValueError, match="unknown flag"):
        ids_of(ws, ds, flagged="weird")


# ---- validity: SQL mirrors core.validation ---------------------------------------------------------

EDGE_CASES = [
    None,  # single-turn, from the text columns
    [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
    [{"role": "user", "content": "q"}, {"role": "assistant", "content": "   \n\t"}],
    [{"role": "user", "content": "q"}, {"role": "assistant", "content": "\u3000"}],
    [{"role": "user", "content": "q"}],
    [{"role": "user", "content": "q"}, {"role": "robot", "content": "a"}],
    [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a", "weight": 2}],
    [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a", "weight": 0}],
    [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a", "weight": True}],
    [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a", "colour": "red"}],
    [{"role": "user", "content": "q"}, {"content": "a"}],
    [{"role": "user", "content": "q"}, {"role": "assistant"}],
    [{"role": "user", "content": "q"}, "not a message", {"role": "assistant", "content": "a"}],
    [{"role": "user", "content": "q"}, {"role": "assistant", "content": None,
                                        "tool_calls": [{"id": "c1", "type": "function",
                                                        "function": {"name": "f", "arguments": "{}"}}]},
     {"role": "tool", "tool_call_id": "c1", "content": "42"}, {"role": "assistant", "content": "It is 42."}],
    [{"role": "user", "content": "q"}, {"role": "assistant", "content": None, "tool_calls": []}],
    [{"role": "user", "content": "q"}, {"role": "assistant", "content": 5}],
    [{"role": "user", "content": [{"type": "text", "text": "look"}]}, {"role": "assistant", "content": "ok"}],
    [{"role": "developer", "content": "be brief"}, {"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
    [{"role": 3, "content": "q"}, {"role": "assistant", "content": "a"}],
]


def test_sql_validity_agrees_with_core_validation(workspace):
    combos = [(m, u, a) for m in EDGE_CASES for u, a in (("question", "answer"), ("", "answer"), ("q", " \n "))]
    inserted = []
    with workspace.engine.begin() as conn:  # raw inserts: odd lists must not be normalised first
        for i, (messages, user, assistant) in enumerate(combos):
            ds = conn.exec_driver_sql(
                "INSERT INTO datasets (name, description, system_prompt, target_model, created_at) "
                "VALUES (?, '', '', 'gpt-4o-mini', '2026-01-01') RETURNING id", (f"edge{i}",)).scalar_one()
            pid = conn.exec_driver_sql(
                "INSERT INTO pairs (dataset_id, system, user, assistant, messages, n_tokens, source, meta, created_at, "
                "updated_at) VALUES (?, '', ?, ?, ?, 10, 'manual', '{}', '2026-01-01', '2026-01-01') RETURNING id",
                (ds, user, assistant, None if messages is None else json.dumps(messages))).scalar_one()
            inserted.append((ds, pid, messages))
    problems = {}
    for ds, pid, messages in inserted:
        row = svc.get_pair(workspace, pid)
        msgs = messages if messages else svc.pair_messages(row)
        report = validate_examples([Example({"messages": msgs})], model="m", token_limits={"m": 10_000}, min_examples=1)
        assert set(row["problems"]) == {i.code for i in report.errors}, msgs
        assert ids_of(workspace, ds, valid=row["valid"]) == [pid]
        assert ids_of(workspace, ds, valid=not row["valid"]) == []
        problems[pid] = row["problems"]
    assert any(problems.values()) and not all(problems.values())
    with workspace.engine.begin() as conn:  # without pair_keys rows the live SQL gives the same
        conn.exec_driver_sql("DELETE FROM pair_keys")
    assert {pid: svc.get_pair(workspace, pid)["problems"] for _, pid, _ in inserted} == problems


def test_too_many_tokens_uses_the_dataset_model_limit(workspace):
    ds = get_or_create_dataset(workspace, "tiny", target_model="gpt-3.5-turbo")
    (pid,) = svc.insert_pairs(workspace, ds, [{"user": "q", "assistant": "word " * 17_000}])
    assert svc.token_limit_for(workspace, ds) == 16_385
    assert svc.get_pair(workspace, pid)["problems"] == ["too_many_tokens"]
    assert ids_of(workspace, ds, valid=False) == [pid]


# ---- mutations -------------------------------------------------------------------------------------


def test_update_recomputes_tokens_and_hash_and_old_values_undo_exactly(data):
    ws, ds, ids = data
    pid = ids[4]
    before = db_row(ws, pid)
    old = svc.update_pair(ws, pid, assistant="A much better answer.")
    assert old == {"assistant": before["assistant"]}
    row = svc.get_pair(ws, pid)
    assert row["n_tokens"] == chat_tokens(svc.pair_messages(row))
    assert row["content_hash"] == example_hash(example_from_row(row["system"], row["user"], row["assistant"], None, {}))
    svc.update_pair(ws, pid, **old)
    assert db_row(ws, pid) == before
    assert svc.update_pair(ws, pid, assistant=before["assistant"]) == {}  # no change, nothing to undo
    with pytest.raises(ValueError, match="cannot edit"):
        svc.update_pair(ws, pid, id=5)
    with pytest.raises(svc.PairNotFound):
        svc.update_pair(ws, 999_999, user="x")


def test_editing_a_text_column_of_a_multi_turn_pair_edits_that_turn(data):
    ws, ds, ids = data
    pid = ids[-1]
    before = db_row(ws, pid)
    msgs = json.loads(before["messages"])
    old = svc.update_pair(ws, pid, assistant="Rewritten first answer.")
    after = svc.get_pair(ws, pid)
    first_assistant = next(i for i, m in enumerate(msgs) if m["role"] == "assistant")
    assert after["messages"][first_assistant]["content"] == "Rewritten first answer."
    assert after["assistant"] == "Rewritten first answer."
    assert [m for i, m in enumerate(after["messages"]) if i != first_assistant] == \
        [m for i, m in enumerate(msgs) if i != first_assistant]
    assert set(old) == {"assistant", "messages"}
    svc.update_pair(ws, pid, **old)
    assert db_row(ws, pid) == before


def test_setting_messages_mirrors_columns_and_simple_lists_use_columns(data):
    ws, ds, ids = data
    pid = ids[0]
    turns = [{"role": "system", "content": "Be kind."}, {"role": "user", "content": "Hi?"},
             {"role": "assistant", "content": "Hello.", "weight": 1}, {"role": "user", "content": "More?"},
             {"role": "assistant", "content": "Sure."}]
    old = svc.update_pair(ws, pid, messages=turns)
    row = svc.get_pair(ws, pid)
    assert (row["system"], row["user"], row["assistant"], row["messages"]) == ("Be kind.", "Hi?", "Hello.", turns)
    assert row["multi_turn"] and row["n_turns"] == 5 and row["n_tokens"] == chat_tokens(turns)
    svc.update_pair(ws, pid, **old)
    svc.update_pair(ws, pid, messages=[{"role": "user", "content": "Plain"}, {"role": "assistant", "content": "pair"}])
    row = svc.get_pair(ws, pid)
    assert row["messages"] is None and (row["user"], row["assistant"]) == ("Plain", "pair")


def test_delete_and_restore_keep_ids_and_every_column(data):
    ws, ds, ids = data
    victims = [ids[0], ids[7], ids[-1]]
    before = svc.snapshot_pairs(ws, victims)
    snaps = svc.delete_pairs(ws, victims)
    assert snaps == before and all(db_row(ws, i) is None for i in victims)
    assert svc.duplicates_of(ws, ids[7]) == []
    assert svc.restore_pairs(ws, snaps) == victims
    assert svc.snapshot_pairs(ws, victims) == before


def test_restore_when_id_was_reused_or_document_deleted(data):
    ws, ds, ids = data
    top = max(ids)
    snaps = svc.delete_pairs(ws, [top, ids[0]])
    (reused,) = svc.insert_pairs(ws, ds, [{"user": "new", "assistant": "pair"}])
    assert reused == top  # SQLite hands out the freed highest rowid again
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM documents")
    restored = svc.restore_pairs(ws, snaps)
    assert restored[0] != top and restored[1] == ids[0]
    assert svc.get_pair(ws, restored[0])["user"] == snaps[0]["user"]
    assert svc.get_pair(ws, ids[0])["document_id"] is None


def test_validated_and_tags_return_old_values_for_undo(data):
    ws, ds, ids = data
    svc.set_validated(ws, ids[:2], True)
    old = svc.set_validated(ws, ids[:4], True)
    assert old == {ids[0]: True, ids[1]: True, ids[2]: False, ids[3]: False}
    svc.restore_validated(ws, old)
    assert [db_row(ws, i)["validated"] for i in ids[:4]] == [1, 1, 0, 0]
    svc.add_tag(ws, ids[:1], "a")
    changed = svc.add_tag(ws, ids[:3], "b")
    assert changed == {ids[0]: ["a"], ids[1]: [], ids[2]: []}
    assert svc.add_tag(ws, ids[:3], "b") == {}
    removed = svc.remove_tag(ws, ids[:3], "a")
    assert removed == {ids[0]: ["a", "b"]}
    svc.set_tags(ws, removed)
    svc.set_tags(ws, changed)
    assert [json.loads(db_row(ws, i)["tags"]) for i in ids[:3]] == [["a"], [], []]
    with pytest.raises(ValueError):
        svc.add_tag(ws, ids, "  ")


def test_bulk_ops_take_thousands_of_ids_in_one_parameter(workspace):
    ds = get_or_create_dataset(workspace, "big")
    ids = svc.insert_pairs(workspace, ds, ({"user": f"q{i}", "assistant": f"a{i}"} for i in range(3000)),
                           batch_size=1000)
    assert len(ids) == 3000
    old = svc.set_validated(workspace, ids, True)
    assert len(old) == 3000 and svc.count_pairs(workspace, ds) == {"total": 3000, "validated": 3000, "rejected": 0}
    assert len(svc.add_tag(workspace, ids, "x")) == 3000
    assert svc.filter_options(workspace, ds)["tags"] == ["x"]


def test_insert_pairs_counts_tokens_like_chat_tokens(workspace):
    ds = get_or_create_dataset(workspace, "t")
    rows = [{"messages": [{"role": "user", "content": "hé", "name": "bob"},
                          {"role": "assistant", "content": None, "tool_calls": [{"id": "1"}]},
                          {"role": "tool", "content": "x", "tool_call_id": "1"},
                          {"role": "assistant", "content": "done", "weight": 1}]},
            {"system": "s", "user": "u", "assistant": "a"}]
    ids = svc.insert_pairs(workspace, ds, rows)
    for pid, r in zip(ids, rows):
        assert svc.get_pair(workspace, pid)["n_tokens"] == chat_tokens(r.get("messages") or svc.pair_messages(r))
    with pytest.raises(ValueError, match="unknown field"):
        svc.insert_pairs(workspace, ds, [{"usr": "typo"}])


def test_review_index_repairs_itself_after_a_table_rebuild(data):
    ws, ds, ids = data
    assert svc.ensure_review_index(ws) == []
    with ws.engine.begin() as conn:  # what an Alembic batch_alter_table("pairs") leaves behind
        for name in ("pairs_fts_ai", "pairs_fts_au", "pairs_fts_ad", "pair_keys_ai", "pair_keys_au", "pair_keys_ad"):
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        conn.exec_driver_sql("DELETE FROM pair_keys")
    svc.update_pair(ws, ids[5], user="Completely novel wording here")
    repaired = svc.ensure_review_index(ws)
    assert "pair_keys_ai" in repaired and "pairs_fts_au" in repaired
    assert ids_of(ws, ds, text="novel wording") == [ids[5]]
    assert len(ids_of(ws, ds, flagged="duplicate")) > 0
    assert svc.ensure_review_index(ws) == []


def test_query_plans_use_indexes(data):
    ws, ds, _ = data
    from fineflow_desktop.services.pairs import ids_query, where_sql

    def plan(sort="id", **f):
        where, params = where_sql(ds, svc.PairFilter(**f), 1000)
        with ws.engine.connect() as conn:
            rows = conn.connection.dbapi_connection.execute("EXPLAIN QUERY PLAN " + ids_query(sort, False, where),
                                                            params).fetchall()
        return " | ".join(r[-1] for r in rows)

    assert "ix_pairs_dataset_tokens" in plan("tokens") and "TEMP B-TREE" not in plan("tokens")
    assert "ix_pair_keys_user" in plan("user") and "TEMP B-TREE" not in plan("user")
    assert "ix_pair_keys_problems" in plan(valid=False)
    assert "ix_pair_keys_user" in plan(flagged="duplicate")
    assert "VIRTUAL TABLE" in plan(text="color")
