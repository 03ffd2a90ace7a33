"""Large specs render in children forked after the IR is built: the same files, errors reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import forked
from generator.format import format_files
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


def test_model_modules_rendered_before_the_ir_is_finished_are_the_same_files() -> None:
    """A large spec's model modules start rendering in a child forked as soon as the models
    are final (`build_api`'s `on_models`); the children forked after the IR take what is
    left of them. The package is the one rendered in order."""
    started: list[forked.EarlyModels] = []
    api = build_api(
        load_spec(SPEC),
        "kitchen_sink_31",
        SPEC.name,
        [],
        on_models=lambda models_api: started.append(forked.EarlyModels(models_api)),
    )
    [early] = started
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
