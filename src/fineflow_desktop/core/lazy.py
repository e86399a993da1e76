"""Heavy libraries loaded where they are first used, not at start-up (cold start, issue 9).

``lazy_module(name)`` is the standard library's recipe (``importlib.util.LazyLoader``, Python
docs "Implementing lazy imports"): the module object exists at once and runs its code on first
attribute access. For a submodule (``scipy.sparse``) the parent package is imported at once (it
is light for scipy). Use it for module-level names such as ``faiss``; a library used in one or
two functions is simply imported inside them.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """*name* as a module that loads on first attribute access (or the module itself when it is
    already imported). Raises ``ModuleNotFoundError`` at once if it is not installed."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
