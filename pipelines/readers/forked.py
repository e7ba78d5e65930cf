"""Halve a long job between this process and a forked child, for readers of big files.

A 300-page PDF takes pdfium over a second, page after page, while the second core idles. The
child inherits the open document (fork copies nothing until written), reads the second half
and sends its result back through a pipe; this process reads the first half meanwhile. If the
child fails in any way, this process does the second half itself, so results and errors are
the same as without a child. The child is killed with its parent (``PR_SET_PDEATHSIG``): a
reader stopped for running over its time limit leaves nothing behind.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import TypeVar

from pipelines.isolation import _die_with_parent

T = TypeVar("T")
R = TypeVar("R")


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def idle_core() -> bool:
    """Whether a second process would get a core of its own: on a busy machine (other jobs,
    or this ingest's other workers) it only adds the cost of forking and of the pipe."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return False
    return usable_cores() >= 2 and load < usable_cores() - 0.5


def in_two_processes(work: Callable[[list[T]], list[R]], items: list[T], *, min_items: int) -> list[R]:
    """``work(items)``, with ``work(items[half:])`` run in a forked child when there are at least
    ``min_items`` items and an idle core; ``work`` must be a pure function of its items."""
    if len(items) < min_items or not hasattr(os, "fork") or not idle_core():
        return work(items)
    half = len(items) // 2
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return work(items)
    if pid == 0:  # the child: never returns into the caller's code
        status = 1
        try:
            os.close(read_end)
            _die_with_parent()
            payload = pickle.dumps(work(items[half:]), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        first = work(items[:half])
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if status == 0:
        try:
            return first + pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a garbled result: read that half here
            pass
    return first + work(items[half:])
