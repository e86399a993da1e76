"""Every export loads with Hugging Face ``datasets`` (``load_dataset("json", data_files=...)``), offline."""

import json

import pytest

from fineflow_desktop.core.formats.writers import EXPORT_FORMATS
from fineflow_desktop.services.export import export_dataset
from fineflow_desktop.services.import_dataset import import_file

from conftest import FIXTURES

FMT = FIXTURES / "formats"


@pytest.fixture
def hf_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    datasets = pytest.importorskip("datasets")
    datasets.disable_progress_bars()
    return datasets


@pytest.mark.parametrize("source", ["glaive_toolcall_sample.json", "llamafactory_dpo_sample.json", "v1_sft_openai_sample.jsonl"])
def test_exports_load_with_hf_datasets(workspace, tmp_path, hf_offline, source):
    report = import_file(workspace, FMT / source, dataset_name="d")
    for fmt in EXPORT_FORMATS:
        if fmt == "openai-dpo" and "dpo" not in source:
            continue
        out = tmp_path / f"{fmt}.jsonl"
        res = export_dataset(workspace, report.dataset_id, out, fmt, split=0.8, seed=1)
        files = res["files"]
        ds = hf_offline.load_dataset("json", data_files=files, cache_dir=str(tmp_path / "hf_cache"))
        assert ds["train"].num_rows == res["counts"]["train"] and ds["validation"].num_rows == res["counts"]["validation"]
        row = ds["train"][0]
        first = json.loads(open(files["train"], encoding="utf-8").readline())
        assert set(first) <= set(row)  # every field of the line is a column
        if fmt in ("openai", "hf-chat", "bedrock"):
            assert row["messages"][-1]["role"] == "assistant"
        elif fmt == "openai-dpo":
            assert row["preferred_output"][0]["role"] == "assistant"
        elif fmt == "alpaca":
            assert row["output"]
        elif fmt == "anthropic":
            assert row["prompt"].rstrip().endswith("Assistant:")
        elif fmt == "sharegpt":
            assert row["conversations"][0]["from"] in ("human", "system")
