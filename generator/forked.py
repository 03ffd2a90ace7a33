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
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import progress
from .diagnostics import SpecError

if TYPE_CHECKING:
    from .ir import Api
    from .module_cache import ModuleCache
    from .write import Reuse

T = TypeVar("T")
_JOBS: list[tuple[str, Callable[[], str]]] = []  # what forked renderers render (inherited)
_MODEL_JOBS: list[tuple[str, Callable[[], str]]] = []  # the model modules (`EarlyModels`)
# what a renderer sends back: its files, whether it wrote them all, and the module keys it
# knows with the packs it wrote (`ModuleCache.shared`)
Shared = tuple[dict[str, str], bool, tuple[dict[str, str], list[str]] | None]


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
        # the lint child's refusal (SIGUSR1, `lint_child._refused`) waits while forking: raised
        # in the fork's own hooks (logging's lock), it was printed as ignored and lost
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        try:
            self._process.start()
        finally:
            send.close()
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a pending refusal: here
            except BaseException:
                self.close()
                raise

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
    # Ctrl-C reaches the whole process group: the parent alone answers it (and stops its
    # children); a child's KeyboardInterrupt printed tracebacks, or reached the parent as a
    # failure, an E900 (gencli audit)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        message: tuple[str, Any] = ("ok", function(*args))
    except SpecError as exc:  # located diagnostics: the parent raises them as they are
        message = ("spec error", exc.diagnostics)
    except BaseException as exc:  # reported to the parent, which raises it
        message = ("error", f"{type(exc).__name__}: {exc}")
    send.send(message)
    send.close()


class EarlyModels:
    """The model modules of a large spec, rendering from the moment its models are final.

    A child forked then (from `build_api`'s `on_models`) renders them while the parent
    builds the rest of the IR, taking them one at a time from a shared counter; the
    children `render_forked` forks after the IR take what is left of them once their
    own files are done, so no core waits for another. When the operations' model modules
    are final and the child has rendered the components' (`extend`), another child
    renders those: the core it leaves idle otherwise waits for the rest of the IR.
    """

    def __init__(
        self,
        api: Api,
        workers: int = 2,
        write_to: Path | None = None,
        reuse: Reuse | None = None,
        cache: ModuleCache | None = None,
    ) -> None:
        context = multiprocessing.get_context("fork")
        self.modules: frozenset[str] = frozenset()  # the ones it renders
        self.counter = context.Value("l", 0)  # the next model job to take
        self.counts = context.RawArray("l", workers + 1)  # files rendered, per child
        self._where = (write_to, reuse, cache)
        self._done: list[Shared] = []  # what the earlier children rendered
        self._child = self._start(api)

    def _start(self, api: Api) -> Forked[Shared]:
        from .render import model_jobs

        _MODEL_JOBS[:] = model_jobs(api)
        self.modules |= {module.name for module in api.modules}
        self.counter.value = 0
        queues = [(_MODEL_JOBS, self.counter)]
        return Forked(_render_share, self.counts, 0, queues, *self._where)

    def extend(self, api: Api) -> bool:
        """Render the model modules of `api` too, in a new child, when the child has
        rendered the ones it was given (True); else leave them to `render_forked`."""
        if not self._child.ready(0):
            return False
        self._done.append(self._child.result())
        self._child = self._start(api)
        return True

    def result(self) -> Shared:
        """The model modules the early children rendered (`_render_share`)."""
        shared = [*self._done, self._child.result()]
        files: dict[str, str] = {}
        keys: dict[str, str] = {}
        parts: list[str] = []
        for rendered, _, computed in shared:
            files.update(rendered)
            if computed is not None:
                keys.update(computed[0])
                parts.extend(computed[1])
        computed_all = None if all(c is None for _, _, c in shared) else (keys, parts)
        return files, all(wrote for _, wrote, _ in shared), computed_all

    def ready(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the early child's result (`Forked.ready`)."""
        return self._child.ready(timeout)

    def close(self) -> None:
        """Stop the child if its result was never collected; forget the jobs."""
        self._child.close()
        _MODEL_JOBS.clear()


class EarlyStart:
    """The `EarlyModels` of a large spec, once `build_api` calls `append_started` (its
    `on_models`); nothing when it does not."""

    def __init__(self) -> None:
        self._started: EarlyModels | None = None
        self.write_to: Path | None = None  # where the renderers write the files
        self.reuse: Reuse | None = None  # unchanged files of the previous tree
        self.cache: ModuleCache | None = None

    def append_started(self, models_api: Api) -> None:
        """Start rendering the model modules of `models_api` in a forked child (the
        components' models), or in another one once the first is done (the operations')."""
        if self.cache is not None:  # (before the fork: the child keys what it renders)
            self.cache.add(models_api, whole=False)
        if self._started is not None:
            self._started.extend(models_api)
            return
        self._started = EarlyModels(
            models_api, write_to=self.write_to, reuse=self.reuse, cache=self.cache
        )

    def take(self) -> EarlyModels | None:
        """The started child (once): `render_forked` waits for it."""
        started, self._started = self._started, None
        return started

    def close(self) -> None:
        """Stop the child unless `render_forked` took it."""
        started = self.take()
        if started is not None:
            started.close()


def render_forked(
    api: Api,
    templates: Path | None = None,
    workers: int = 2,
    early: EarlyModels | None = None,
    write_to: Path | None = None,
    written: set[str] | None = None,
    reuse: Reuse | None = None,
    cache: ModuleCache | None = None,
) -> dict[str, str]:
    """Every file of `api`'s package, rendered (with the `templates` override folder) and
    formatted by `workers` processes, this one and `workers - 1` forked children (and the
    `early` ones, which started on the model modules before the IR was finished). Each also
    writes its files under `write_to` (a `write.begin_staging` folder), while the others
    still render, and adds their paths
    to `written` (not when the file system refused one: the caller writes them, and says
    why it cannot). With a `cache`, a module whose IR is the previous generation's is the
    previous file (`module_cache`), and the cache learns what the children keyed."""
    from .render import model_module_path, render_jobs

    jobs = render_jobs(api, templates, rendered=early.modules if early is not None else ())
    _JOBS[:] = jobs
    context = multiprocessing.get_context("fork")
    counter = context.Value("l", 0)
    queues: list[tuple[list[tuple[str, Callable[[], str]]], Any]] = [(_JOBS, counter)]
    if early is not None:
        queues.append((_MODEL_JOBS, early.counter))
    # each child counts the files it rendered in its own slot, for the progress line
    counts = early.counts if early is not None else context.RawArray("l", workers)
    total = len(jobs) + len(_MODEL_JOBS if early is not None else ())
    first = early is not None  # the early child counts in slot 0
    children: list[Forked[Shared]] = []
    try:
        children = [
            Forked(_render_share, counts, first + k, queues, write_to, reuse, cache)
            for k in range(workers - 1)
        ]
        # this process renders a share too, rather than wait: a fork fewer, and a page of
        # the IR that it and a child both touch is copied once rather than in each child
        tick = (lambda: _advance(sum(counts), total)) if progress.active() else None
        own = _render_share(counts, first + workers - 1, queues, write_to, reuse, cache, tick)
        rendered: dict[str, str] = {}
        waited: list[Forked[Shared] | EarlyModels] = [*children]
        if early is not None:
            waited.append(early)
        for child in [None, *waited]:
            if child is None:
                files, wrote, computed = own
            else:
                while progress.active() and not child.ready(0.1):
                    _advance(sum(counts), total)
                files, wrote, computed = child.result()
            rendered.update(files)
            if wrote and written is not None:
                written.update(files)
            if cache is not None and computed is not None:
                cache.learn(*computed)
            _advance(sum(counts), total)
        # the order `render_jobs` gives the files: the model modules last, in module order
        models = [model_module_path(api.package_name, module.name) for module in api.modules]
        known = set(models)
        order = [path for path, _ in jobs if path not in known] + models
    finally:
        _JOBS.clear()
        for started in children:
            started.close()  # (once its result is read, it has ended)
        if early is not None:
            early.close()
    return {path: rendered[path] for path in order}


def _advance(done: int, total: int) -> None:
    what = "files rendered" if done < total else "files rendered; writing"
    progress.advance(done, total, what)


def _take(counter: Any) -> int:
    with counter.get_lock():
        index: int = counter.value
        counter.value = index + 1
    return index


def _render_share(
    counts: Any,
    slot: int,
    queues: list[tuple[list[tuple[str, Callable[[], str]]], Any]],
    write_to: Path | None,
    reuse: Reuse | None = None,
    cache: ModuleCache | None = None,
    tick: Callable[[], None] | None = None,
) -> Shared:
    """Render, format and write (in a forked child, or in the parent) the jobs taken one at
    a time from each queue in turn (a job list inherited from the parent, and the shared
    counter of the next one to take), counting them in `counts[slot]` (then `tick`). Each
    file is formatted as soon as it is rendered and written under `write_to` as soon as it
    is formatted, so that the processes, which take jobs until none is left, share all
    three evenly. The files come back with True when every one of them was written (else
    the parent writes them all, and reports the error), and with the `cache` keys of those
    it keys (`module_cache`): a file whose IR did not change since the previous generation
    is that file again."""
    from .format import format_files
    from .write import WriteError, write_files

    formatted: dict[str, str] = {}
    made: set[str] = set()  # folders made under write_to
    writing = write_to is not None
    for jobs, counter in queues:
        while (index := _take(counter)) < len(jobs):
            path, job = jobs[index]
            previous = None if cache is None else cache.unchanged(path)
            if previous is not None:
                done = {path: previous}
            else:
                done = format_files({path: job()}, parallel=False)
            formatted.update(done)
            if writing and write_to is not None:
                try:
                    write_files(write_to, done, made, reuse)
                except (OSError, WriteError):
                    writing = False
            counts[slot] += 1
            if tick is not None:
                tick()
    if cache is None:
        return formatted, writing, None
    cache.seal()
    return formatted, writing, cache.shared()
