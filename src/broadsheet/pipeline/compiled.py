"""The compiled modules (``_walk.pyx``, ``_counts.pyx``, ``_trees.pyx``, ``_tokens.pyx`` here, and
``broadsheet/_signature.pyx`` for dedup), where the install built them.

Each stands in for Python code that stays in its stage's module and gives the same results
(``tests/test_compiled.py``). ``BROADSHEET_PURE_PYTHON=1`` in the environment turns them all off.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

__all__ = ["PURE_PYTHON", "compiled"]

#: The environment variable that turns the compiled modules off.
PURE_PYTHON = "BROADSHEET_PURE_PYTHON"


def compiled(module: str, name: str | None = None) -> Any:
    """``pipeline.<module>`` (or its attribute ``name``) when it is built and not turned off, else None.
    A dotted ``module`` ("broadsheet._signature") is named in full."""
    if os.environ.get(PURE_PYTHON):
        return None
    try:
        found = importlib.import_module(module if "." in module else f"{__package__}.{module}")
    except ImportError:
        return None
    return found if name is None else getattr(found, name)
