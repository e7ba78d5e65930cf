"""Progress bars for a person at a terminal, and only there.

The steps (``pipelines.steps``) draw bars only after ``attach_terminal()``: the command line
calls it before its run and the bars go to a duplicate of the terminal's stderr. Under the
daemon (sensor, schedule, UI), where Dagster captures a step's output into its compute logs,
nothing is attached and no bar is drawn.
"""

from __future__ import annotations

import os
import sys

from tqdm import tqdm

_terminal = None


def attach_terminal() -> None:
    """Draw bars on this process's terminal, if stderr is one."""
    global _terminal
    if _terminal is None and sys.stderr.isatty():
        _terminal = os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1)


def bar(items=None, *, desc: str, total: int | None = None) -> tqdm:
    return tqdm(items, total=total, desc=desc, unit="doc", file=_terminal, disable=_terminal is None,
                leave=False, dynamic_ncols=True)
