"""Progress bars for a person at a terminal, also while Dagster captures the steps' output.

Dagster redirects a step's stdout and stderr into its compute logs, so a bar written there never
reaches the screen. The command line calls ``attach_terminal()`` before the run: it keeps a
duplicate of the terminal's stderr, and the assets draw on that. Under the daemon (sensor,
schedule, UI) nothing is attached and no bar is drawn.
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
