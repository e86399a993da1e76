"""A keyring backend in a JSON file, for tests that run FineFlow in a child process (kill -9 tests):
the in-memory keyring of ``tests/conftest.py`` cannot be shared across processes.

Use in the child's environment::

    PYTHONPATH=<repo>/tests  PYTHON_KEYRING_BACKEND=fakes.file_keyring.FileKeyring
    FINEFLOW_TEST_KEYRING=/tmp/.../keys.json

Never for real keys: the file is plain text (test keys only).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    """Passwords in the JSON file named by ``FINEFLOW_TEST_KEYRING``."""

    priority = 1

    def _path(self) -> Path:
        return Path(os.environ["FINEFLOW_TEST_KEYRING"])

    def _load(self) -> dict:
        try:
            text = self._path().read_text("utf-8")
        except FileNotFoundError:
            return {}
        return json.loads(text) if text.strip() else {}

    def get_password(self, service, username):
        return self._load().get(f"{service}\x1f{username}")

    def set_password(self, service, username, password):
        data = self._load()
        data[f"{service}\x1f{username}"] = password
        tmp = self._path().with_suffix(".tmp")
        tmp.write_text(json.dumps(data), "utf-8")
        os.replace(tmp, self._path())

    def delete_password(self, service, username):
        data = self._load()
        data.pop(f"{service}\x1f{username}", None)
        self._path().write_text(json.dumps(data), "utf-8")
