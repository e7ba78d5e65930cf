"""Per-document work in worker processes: a time limit, a crash costs one document, no orphans.

A hostile file can make a reader or a regular expression run for ever, and a C extension can
crash the interpreter; neither may take the batch with it. ``run_isolated`` hands each document
to a pool of worker processes (``pebble``, which kills and replaces a worker whose task runs over
its time limit) and yields, for each, either the result or a :class:`Failure` saying what went
wrong. Workers ask the kernel to kill them when their parent dies (``PR_SET_PDEATHSIG``), so a
``kill -9`` of an ingest leaves no process behind.

``ANNUAL_ETL_WORKERS`` sets the pool size (default: the CPU count, at most 4; ``0`` runs in
process, without a time limit, for debugging); ``ANNUAL_ETL_DOCUMENT_TIMEOUT`` the limit per
document and stage in seconds (default 300).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, TypeVar

Job = TypeVar("Job")
DEFAULT_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class Failure:
    """Why one document's work did not finish."""

    error_type: str  # the exception's class name, TimeoutError, or WorkerDied
    message: str

    def __str__(self) -> str:
        return f"{self.error_type}: {self.message}"


def worker_count() -> int:
    raw = os.environ.get("ANNUAL_ETL_WORKERS", "")
    if raw.strip().isdigit():
        return int(raw)
    return max(1, min(os.cpu_count() or 1, 4))


def document_timeout() -> float:
    try:
        return float(os.environ.get("ANNUAL_ETL_DOCUMENT_TIMEOUT", "") or DEFAULT_TIMEOUT_S)
    except ValueError:
        return DEFAULT_TIMEOUT_S


def _die_with_parent() -> None:
    """Linux: SIGKILL this worker when the process that started it dies."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: workers still end when their task pipe closes


def _failure(error: BaseException, timeout: float) -> Failure:
    if isinstance(error, FutureTimeout):
        return Failure("TimeoutError", f"still running after {timeout:.0f} s; stopped (the file may be hostile"
                                       " or too large; ANNUAL_ETL_DOCUMENT_TIMEOUT raises the limit)")
    from pebble import ProcessExpired

    if isinstance(error, ProcessExpired):
        return Failure("WorkerDied", f"the worker process ended abruptly (exit code {error.exitcode}):"
                                     " a crash or the memory limit")
    return Failure(type(error).__name__, str(error)[:2000])


class IsolatedRunner:
    """A pool kept for a step's whole run (start-up is paid once); use as a context manager."""

    def __init__(self, workers: int | None = None, timeout: float | None = None):
        self.workers = worker_count() if workers is None else workers
        self.timeout = document_timeout() if timeout is None else timeout
        self._pool = None

    def __enter__(self) -> "IsolatedRunner":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=10)
            self._pool = None

    def map(self, fn: Callable[[Job], Any], jobs: Iterable[Job]) -> Iterator[tuple[Job, Any]]:
        """(job, result or Failure) for every job, in the order given."""
        jobs = list(jobs)
        if self._pool is None and self.workers > 0 and jobs:
            from pebble import ProcessPool

            # started at the first job, not before: a step with nothing to do forks nothing. fork:
            # workers start in milliseconds and inherit the loaded rules; they only run
            # pure-Python extraction, nothing that takes locks of the parent's threads
            self._pool = ProcessPool(max_workers=self.workers, initializer=_die_with_parent,
                                     context=multiprocessing.get_context("fork"))
        if self._pool is None:
            for job in jobs:
                try:
                    yield job, fn(job)
                except Exception as error:
                    yield job, _failure(error, self.timeout)
            return
        futures = [self._pool.schedule(fn, args=(job,), timeout=self.timeout) for job in jobs]
        for job, future in zip(jobs, futures):
            try:
                yield job, future.result()
            except Exception as error:
                yield job, _failure(error, self.timeout)
