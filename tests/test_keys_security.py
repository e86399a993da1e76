"""Acceptance: after add / test / use / an error path with key sk-test-SECRET123456, no file in the
workspace, the log folder or exported output contains the key; errors and logs show it masked."""

import json
import logging

import pytest

from fakes.fixtures import OPENAI_TEST_KEY, openai_fake  # noqa: F401
from fineflow_desktop import cli
from fineflow_desktop.providers import credentials as creds
from fineflow_desktop.providers import keys
from fineflow_desktop.providers.base import ProviderError
from fineflow_desktop.providers.ping import test_credential as ping_credential
from fineflow_desktop.providers.registry import chat_with_fallback, provider_for_credential
from fineflow_desktop.store.workspace import Workspace, data_dir

assert OPENAI_TEST_KEY == "sk-test-SECRET123456"
NEEDLES = [OPENAI_TEST_KEY.encode(), b"SECRET123456"]


def _grep(folder):
    hits = []
    for f in folder.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            hits += [f"{f}: {n!r}" for n in NEEDLES if n in data]
    return hits


def test_key_never_reaches_disk_logs_or_messages(tmp_path, openai_fake, monkeypatch, capsys):
    log_dir = data_dir() / "logs"
    log_dir.mkdir(parents=True)
    handler = logging.FileHandler(log_dir / "fineflow.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # SDK and httpx debug logs included
    keys.install_log_scrubber(root)
    export_dir = tmp_path / "exports"
    export_dir.mkdir()
    try:
        ws_path = tmp_path / "ws"
        monkeypatch.setenv("FF_KEY", OPENAI_TEST_KEY)
        # add (CLI), list, test
        assert cli.main(["credentials", "add", "--name", "main", "--provider", "openai", "--base-url", openai_fake.base_url,
                         "--model", "gpt-4o-mini", "--key-from-env", "FF_KEY", "--workspace", str(ws_path)]) == 0
        assert cli.main(["credentials", "list", "--json", "--workspace", str(ws_path)]) == 0
        assert cli.main(["credentials", "test", "main", "--json", "--workspace", str(ws_path)]) == 0
        assert cli.main(["usage", "--json", "--workspace", str(ws_path)]) == 0
        out = capsys.readouterr()
        (export_dir / "cli_output.txt").write_text(out.out + out.err)

        ws = Workspace.open(ws_path)
        cid = creds.get_credential(ws, "main").id
        # use
        p = provider_for_credential(ws, cid)
        p.chat([{"role": "user", "content": "hello"}])
        chat_with_fallback(ws, "openai", [{"role": "user", "content": "hello"}])
        # error paths: server errors, a key echoed back by a 401, a timeout
        messages = []
        openai_fake.fail_next("500")
        with pytest.raises(ProviderError) as e:
            p.chat([{"role": "user", "content": "x"}])
        messages.append(str(e.value))
        openai_fake.api_key = "sk-test-ROTATED-0000"  # our stored key is now wrong: 401 echoes it (masked by OpenAI)
        with pytest.raises(ProviderError) as e:
            p.chat([{"role": "user", "content": "x"}])
        messages.append(str(e.value))
        logging.getLogger("fineflow_desktop.test").error("provider failed with key %s: %s", OPENAI_TEST_KEY, e.value)
        results = ping_credential(ws, cid)
        messages += [r.detail for r in results]
        (export_dir / "errors.json").write_text(json.dumps(messages))
        ws.close()
    finally:
        root.removeHandler(handler)
        handler.close()
        root.setLevel(old_level)

    assert (log_dir / "fineflow.log").stat().st_size > 0
    assert "sk-…3456" in (log_dir / "fineflow.log").read_text()  # masked form is what shows up
    hits = _grep(ws_path) + _grep(log_dir) + _grep(export_dir) + _grep(data_dir()) + _grep(tmp_path / "config")
    assert hits == []
    assert all(OPENAI_TEST_KEY not in m for m in messages)
