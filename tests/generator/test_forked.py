"""Large specs render in children forked after the IR is built: the same files, errors reported."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from generator import forked
from generator.format import format_files
from generator.ir import Api
from generator.ir_build import build_api
from generator.load import load_spec
from generator.render import render_package

SPEC = Path(__file__).resolve().parents[1] / "golden" / "specs" / "kitchen_sink_31.yaml"

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="fork is Linux-only here")


def test_forked_rendering_gives_the_files_of_the_sequential_one() -> None:
    api = build_api(load_spec(SPEC), "kitchen_sink_31", SPEC.name, [])
    sequential = format_files(render_package(api), parallel=False)
    parallel = forked.render_forked(api, workers=3)
    assert list(parallel) == list(sequential)
    assert parallel == sequential
    assert not forked._JOBS  # nothing left behind for the next fork


@pytest.mark.parametrize("second_batch", [False, True])
def test_model_modules_rendered_before_the_ir_is_finished_are_the_same_files(
    second_batch: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large spec's model modules start rendering in a child forked as soon as the models
    are final (`build_api`'s `on_models`), and the operations' in another one when the
    first is done by then (`second_batch`: it is waited for here; else it is taken as
    busy); else the children forked after the IR take them, with what is left of the
    first. The package is the one rendered in order."""
    start = forked.EarlyStart()
    calls: list[Api] = []

    def on_models(models_api: Api) -> None:
        started = start._started
        if started is not None and second_batch:
            assert started.ready(60)
        elif started is not None:
            monkeypatch.setattr(started._child, "ready", lambda timeout: False)
        calls.append(models_api)
        start.append_started(models_api)
        monkeypatch.undo()

    api = build_api(load_spec(SPEC), "kitchen_sink_31", SPEC.name, [], on_models=on_models)
    early = start.take()
    assert early is not None and len(calls) == 2
    later = {module.name for module in calls[1].modules}
    assert later and later <= {module.name for module in api.modules}
    assert (later <= early.modules) is second_batch  # rendered early, or after the IR
    sequential = format_files(render_package(api), parallel=False)
    parallel = forked.render_forked(api, early=early)
    assert list(parallel) == list(sequential)
    assert parallel == sequential
    assert not forked._JOBS and not forked._MODEL_JOBS


def test_an_early_renderer_whose_ir_failed_is_stopped() -> None:
    api = build_api(load_spec(SPEC), "kitchen_sink_31", SPEC.name, [])
    early = forked.EarlyModels(api)
    early.close()
    assert not early._child._process.is_alive()
    assert not forked._MODEL_JOBS


def _fails() -> None:
    raise ValueError("broken template")


def test_a_child_that_raises_is_reported() -> None:
    with pytest.raises(forked.ChildFailed, match="ValueError: broken template"):
        forked.Forked(_fails).result()


def _refuses(path: str) -> None:
    from generator.diagnostics import Diagnostic, Location, Severity, SpecError

    message = "file is not UTF-8 text"
    raise SpecError([Diagnostic("E001", Severity.ERROR, Location(path, 1, 1), message)])


def test_a_child_that_refuses_the_spec_raises_its_diagnostics() -> None:
    """The lint child of a large spec that cannot be loaded: its E001 (or E004…) is the
    answer, not an E900 "internal error (ChildFailed: SpecError: …)"."""
    from generator.diagnostics import SpecError

    with pytest.raises(SpecError) as raised:
        forked.Forked(_refuses, "spec.yaml").result()
    [diagnostic] = raised.value.diagnostics
    assert (diagnostic.code, diagnostic.location.file, diagnostic.location.line) == (
        "E001",
        "spec.yaml",
        1,
    )


def test_a_child_that_dies_is_reported() -> None:
    import os

    with pytest.raises(forked.ChildFailed, match="ended without a result"):
        forked.Forked(os._exit, 3).result()


def test_an_uncollected_child_is_stopped() -> None:
    import time

    child = forked.Forked(time.sleep, 60)
    child.close()
    assert not child._process.is_alive()


def _interrupted_then_done() -> str:
    os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C sends the whole process group
    time.sleep(0.05)
    return "done"


def test_a_child_leaves_ctrl_c_to_the_parent() -> None:
    """Ctrl-C reaches every process of the group: a child's KeyboardInterrupt printed a
    traceback, or reached the parent as a failure (an E900 "internal error"; gencli audit).
    The child ignores it; the parent answers it and stops its children."""
    assert forked.Forked(_interrupted_then_done).result() == "done"
