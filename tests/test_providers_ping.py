"""providers/ping.py: three levels with latency, stored history, last status."""

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake  # noqa: F401
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers.ping import last_status, ping_history, test_credential as ping_credential


def _cred(ws, fake, **kw):
    kw.setdefault("api_key", OPENAI_TEST_KEY)
    kw.setdefault("model", "gpt-4o-mini")
    return creds.create_credential(ws, kw.pop("name", "main"), "openai", base_url=fake.base_url, **kw)


def test_all_three_levels_pass_and_are_stored(workspace, openai_fake):
    c = _cred(workspace, openai_fake)
    seen = []
    results = ping_credential(workspace, c.id, on_level=seen.append)
    assert [r.level for r in results] == [1, 2, 3] and all(r.ok for r in results)
    assert seen == results
    assert results[0].latency_ms > 0 and results[2].latency_ms > 0
    assert "pong" in results[2].detail
    ok, when, summary = last_status(workspace, c.id)
    assert ok is True and when is not None and summary == "all levels passed"
    hist = ping_history(workspace, c.id)
    assert len(hist) == 1 and [l.level for l in hist[0]] == [1, 2, 3]
    # the level-3 prompt was metered as a "ping" call
    assert creds.get_credential(workspace, c.id).n_calls == 1


def test_wrong_key_fails_level_one_and_skips_the_rest(workspace, openai_fake):
    c = _cred(workspace, openai_fake, api_key="sk-test-WRONG-0000000")
    results = ping_credential(workspace, c.id)
    assert [r.ok for r in results] == [False, False, False]
    assert "AuthError" in results[0].detail and "WRONG-0000000" not in results[0].detail
    assert results[1].detail.startswith("skipped")
    ok, _, summary = last_status(workspace, c.id)
    assert ok is False and summary.startswith("level 1 (Reach + authenticate) failed")


def test_model_not_accessible_fails_level_two(workspace, openai_fake):
    c = _cred(workspace, openai_fake, model="gpt-9-ultra")
    results = ping_credential(workspace, c.id)
    assert [r.ok for r in results] == [True, False, False]
    assert "not accessible" in results[1].detail


def test_unreachable_server_and_missing_key(workspace):
    c = creds.create_credential(workspace, "down", "compatible", base_url="http://127.0.0.1:9/v1", model="m")
    r = ping_credential(workspace, c.id)
    assert not r[0].ok and "TransientError" in r[0].detail
    nokey = creds.create_credential(workspace, "nokey", "openai", model="gpt-4o-mini")
    r = ping_credential(workspace, nokey.id)
    assert not r[0].ok and "no API key" in r[0].detail


def test_history_is_newest_first(workspace, openai_fake):
    c = _cred(workspace, openai_fake)
    ping_credential(workspace, c.id)
    openai_fake.fail_next("500")
    ping_credential(workspace, c.id)
    hist = ping_history(workspace, c.id)
    assert len(hist) == 2
    assert [l.ok for l in hist[0]] == [True, True, False]  # newest: level 3 hit the 500
    assert all(l.ok for l in hist[1])
