"""Work in processes forked from this one: lint beside the IR, rendering after it.

A large spec is linted in a child forked before the spec is loaded (it shares no
pages with the document the parent then builds), and its package is rendered and
formatted by children forked after the IR is built: they inherit the IR instead of
receiving it pickled, each renders a share of the files, formats it, and sends the
text back through a pipe. Plain `fork` + pipes, no executor: the parent has no
helper threads when it forks. Where `fork` does not exist, callers use a pool.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import progress
from .diagnostics import SpecError

if TYPE_CHECKING:
    from .ir import Api

T = TypeVar("T")
_JOBS: list[tuple[str, Callable[[], str]]] = []  # what forked renderers render (inherited)


def can_fork() -> bool:
    """True where children can be forked safely (Linux)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class ChildFailed(RuntimeError):
    """A forked child raised, or died before sending its result."""


class Forked(Generic[T]):
    """`function(*args)` running in a forked child; `result()` waits for its value."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(send, function, args), daemon=True)
        self._process.start()
        send.close()

    def close(self) -> None:
        """Stop the child if its result was never collected."""
        if not self._receive.closed:
            self._receive.close()
            self._process.terminate()
            self._process.join()

    def ready(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the child's result; True once it can be read."""
        return self._receive.closed or self._receive.poll(timeout)

    def result(self) -> T:
        """The child's return value; the SpecError it raised (its diagnostics are the
        answer: a file the lint child cannot load); ChildFailed when it raised anything
        else or died."""
        try:
            status, value = self._receive.recv()
        except EOFError:
            status, value = "error", "the worker process ended without a result"
        finally:
            self._receive.close()
            self._process.join()
        if status == "spec error":
            raise SpecError(value)
        if status != "ok":
            raise ChildFailed(value)
        return value  # type: ignore[no-any-return]


def _child(send: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        message: tuple[str, Any] = ("ok", function(*args))
    except SpecError as exc:  # located diagnostics: the parent raises them as they are
        message = ("spec error", exc.diagnostics)
    except BaseException as exc:  # reported to the parent, which raises it
        message = ("error", f"{type(exc).__name__}: {exc}")
    send.send(message)
    send.close()


def render_forked(api: Api, templates: Path | None = None, workers: int = 2) -> dict[str, str]:
    """Every file of `api`'s package, rendered (with the `templates` override folder) and
    formatted by `workers` forked children."""
    from .render import render_jobs

    jobs = render_jobs(api, templates)
    _JOBS[:] = jobs
    # each child counts the files it rendered in its own slot, for the progress line
    counts = multiprocessing.get_context("fork").RawArray("l", workers)
    try:
        children = [
            Forked(_render_share, list(range(k, len(jobs), workers)), counts, k)
            for k in range(workers)
        ]
        rendered: dict[str, str] = {}
        for child in children:
            while progress.active() and not child.ready(0.1):
                _advance(sum(counts), len(jobs))
            rendered.update(child.result())
            _advance(sum(counts), len(jobs))
    finally:
        _JOBS.clear()
    return {path: rendered[path] for path, _ in jobs}


def _advance(done: int, total: int) -> None:
    what = "files rendered" if done < total else "files rendered; formatting"
    progress.advance(done, total, what)


def _render_share(indices: list[int], counts: Any, slot: int) -> dict[str, str]:
    """Render and format the jobs at `indices` (in a forked child), counting them in
    `counts[slot]`."""
    from .format import format_files

    files = {}
    for index in indices:
        path, job = _JOBS[index]
        files[path] = job()
        counts[slot] += 1
    return format_files(files, parallel=False)
