"""Execution audit: preview execution via a ChatProvider, lifecycle, filters, metrics, feedback, links."""

import pytest

from fineflow_desktop.core.templates.render import MissingVariablesError
from fineflow_desktop.providers.base import AuthError, ChatProvider, ChatResult, ModelInfo
from fineflow_desktop.services import templates as T


class FakeProvider:
    """A local ChatProvider: echoes the prompt, or raises a queued ProviderError."""

    name = "openai"

    def __init__(self, credential_name="work-key", fail_with=None):
        self.credential_name = credential_name
        self.fail_with = fail_with
        self.calls = []

    def chat(self, messages, model, *, temperature=0.7, max_tokens=1024, json_mode=False, timeout_s=60.0):
        self.calls.append({"messages": messages, "model": model, "temperature": temperature,
                           "max_tokens": max_tokens, "json_mode": json_mode, "timeout_s": timeout_s})
        if self.fail_with:
            raise self.fail_with
        text = messages[-1]["content"].upper()
        return ChatResult(text=text, model=model, input_tokens=len(messages[-1]["content"].split()),
                          output_tokens=len(text.split()), latency_s=0.01)

    def list_models(self):
        return [ModelInfo("gpt-4o-mini")]


@pytest.fixture
def ws(workspace):
    T.create_template(workspace, "greet", "Say hello to {{name}}", output_format="json")
    return workspace


def vid(ws):
    return T.version(ws, "greet").id


def test_fake_matches_protocol():
    assert isinstance(FakeProvider(), ChatProvider)


def test_execute_preview_records_everything(ws):
    p = FakeProvider()
    e = T.execute_preview(ws, vid(ws), {"name": "Ann"}, p, "gpt-4o-mini", {"temperature": 0.2})
    assert e.status == "completed" and e.output == "SAY HELLO TO ANN"
    assert e.is_preview and e.rendered_prompt == "Say hello to Ann" and e.context == {"name": "Ann"}
    assert (e.provider, e.credential_name, e.model) == ("openai", "work-key", "gpt-4o-mini")
    assert e.parameters == {"temperature": 0.2, "max_tokens": 1024, "json_mode": True, "timeout_s": 60.0}
    assert (e.input_tokens, e.output_tokens) == (4, 4)
    assert e.duration_ms is not None and e.started_at and e.finished_at and e.finished_at >= e.started_at
    assert p.calls[0]["messages"] == [{"role": "user", "content": "Say hello to Ann"}]
    assert p.calls[0]["json_mode"] is True
    assert "sk-" not in repr(e)


def test_missing_variables_raise_before_anything_is_sent(ws):
    p = FakeProvider()
    with pytest.raises(MissingVariablesError):
        T.execute_preview(ws, vid(ws), {}, p, "m")
    assert p.calls == [] and T.list_executions(ws) == []


def test_provider_failure_is_recorded_with_context(ws):
    p = FakeProvider(fail_with=AuthError("invalid key sk-…abcd", status=401))
    e = T.execute_preview(ws, vid(ws), {"name": "Ann"}, p, "gpt-4o")
    assert e.status == "failed" and e.output is None
    assert e.error == "invalid key sk-…abcd"
    assert e.error_context == {"type": "AuthError", "status": 401, "retryable": False, "provider": "openai",
                               "model": "gpt-4o", "credential_name": "work-key"}


def test_unknown_parameter_rejected(ws):
    with pytest.raises(T.InvalidExecution, match="unknown model parameter 'top_k'"):
        T.execute_preview(ws, vid(ws), {"name": "A"}, FakeProvider(), "m", {"top_k": 3})


def test_status_lifecycle(ws):
    eid = T.record_execution(ws, vid(ws), {"name": "A"}, "p", provider="openai", model="m")
    assert T.get_execution(ws, eid).status == "pending"
    T.update_execution(ws, eid, status="processing")
    done = T.update_execution(ws, eid, status="completed", output="ok")
    assert done.started_at and done.finished_at
    with pytest.raises(T.InvalidExecution, match="completed; it cannot become processing"):
        T.update_execution(ws, eid, status="processing")


def test_rerun_identical_and_regenerate_changed(ws):
    p = FakeProvider()
    first = T.execute_preview(ws, vid(ws), {"name": "Ann"}, p, "gpt-4o-mini", {"max_tokens": 50})
    again = T.rerun_execution(ws, first.id, p)
    assert again.rerun_of_id == first.id
    assert (again.context, again.model, again.parameters, again.template_version_id) == (
        first.context, first.model, first.parameters, first.template_version_id)
    assert p.calls[0] == p.calls[1]
    regen = T.regenerate_execution(ws, first.id, p, context={"name": "Bo"}, model="gpt-4o")
    assert regen.regenerated_from_id == first.id and regen.rerun_of_id is None
    assert regen.rendered_prompt == "Say hello to Bo" and regen.model == "gpt-4o"
    assert regen.parameters["max_tokens"] == 50


def test_history_filters_and_metrics(ws):
    ok, bad = FakeProvider(), FakeProvider(fail_with=AuthError("no", status=401))
    tid = T.get_template(ws, "greet").id
    T.execute_preview(ws, vid(ws), {"name": "A"}, ok, "m1")
    T.execute_preview(ws, vid(ws), {"name": "B"}, ok, "m2")
    T.execute_preview(ws, vid(ws), {"name": "C"}, bad, "m1")
    live = T.record_execution(ws, vid(ws), {"name": "D"}, "p", provider="openai", model="m1", is_preview=False)
    T.update_execution(ws, live, status="completed", output="x", input_tokens=10, output_tokens=2, duration_ms=100)
    assert len(T.list_executions(ws, tid)) == 4
    assert [e.context["name"] for e in T.list_executions(ws, tid, model="m1")] == ["D", "C", "A"]
    assert [e.context["name"] for e in T.list_executions(ws, tid, status="failed")] == ["C"]
    assert [e.context["name"] for e in T.list_executions(ws, tid, preview=False)] == ["D"]
    assert T.execution_models(ws, tid) == ["m1", "m2"]
    m = T.execution_metrics(ws, tid)
    assert (m.count, m.completed, m.failed) == (4, 3, 1)
    assert m.failure_rate == pytest.approx(0.25)
    assert m.input_tokens == 4 * 2 + 10 and m.output_tokens == 4 * 2 + 2  # two completed previews of 4 words
    assert m.mean_duration_ms is not None
    pm = T.execution_metrics(ws, tid, preview=True, model="m1")
    assert (pm.count, pm.failed, pm.failure_rate) == (2, 1, 0.5)
    empty = T.execution_metrics(ws, tid, model="none")
    assert (empty.count, empty.failure_rate, empty.mean_duration_ms) == (0, 0.0, None)


def test_feedback(ws):
    e = T.execute_preview(ws, vid(ws), {"name": "A"}, FakeProvider(), "m")
    assert T.set_feedback(ws, e.id, 1).feedback == 1
    assert T.execution_metrics(ws).thumbs_up == 1
    T.set_feedback(ws, e.id, -1)
    assert T.execution_metrics(ws).thumbs_down == 1
    with pytest.raises(T.InvalidExecution):
        T.set_feedback(ws, e.id, 5)
