"""Every ```python snippet of every generated README runs, as written (issue 15).

The snippets of one README run in order, in one namespace, as a reader pastes them into
one session: the billing packages, the golden kitchen sinks, and packages generated from
GitHub-like and Stripe-like specs (`tests/readme_specs.py`). What the README does not
show stays outside its text: the environment variables its ```bash blocks export are
set to test values, and httpx's transports are swapped for the package's own
`testing.MockAPI`, so the clients the snippets build (which read their credentials
from the environment) talk to the mock. Every request must reach an operation and be
answered with a success: a snippet that only runs because a `try` catches its error
fails here too.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import BILLING_PACKAGES, GENERATED_DIR, GOLDEN_DIR, BuildPackage
from tests.readme_specs import GITHUB_LIKE, RELATIVE_SERVER, STRIPE_LIKE

_PYTHON = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_BASH = re.compile(r"^```bash\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_EXPORT = re.compile(r"^export ([A-Z][A-Z0-9_]*)=", re.MULTILINE)

COMMITTED = [
    *(GENERATED_DIR / package for package in BILLING_PACKAGES.values()),
    *sorted(p for p in GOLDEN_DIR.glob("kitchen_sink_*") if p.is_dir()),
]


def snippets(readme: str) -> list[str]:
    """The code of each ```python block, in order."""
    return _PYTHON.findall(readme)


def variables(readme: str) -> list[str]:
    """The environment variables the README's ```bash blocks export."""
    return [name for block in _BASH.findall(readme) for name in _EXPORT.findall(block)]


class Offline:
    """httpx's transports answered by one `MockAPI`, recording every answer's status."""

    def __init__(self, package: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.mock = importlib.import_module(f"{package}.testing").MockAPI()
        self.statuses: list[tuple[str, int]] = []
        self.routes: set[str] = set()  # the operations called
        transport = httpx.MockTransport(self._handle)

        def handle(_: Any, request: httpx.Request) -> httpx.Response:
            return transport.handle_request(request)

        async def handle_async(_: Any, request: httpx.Request) -> httpx.Response:
            return await transport.handle_async_request(request)

        monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
        monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle_async)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        route = self.mock._route(request)
        if route is not None:
            self.routes.add(route.name)
        response: httpx.Response = self.mock.handle(request)
        self.statuses.append((f"{request.method} {request.url}", response.status_code))
        return response


def run_readme(
    project: Path, package: str, monkeypatch: pytest.MonkeyPatch, workdir: Path
) -> Offline:
    """Run every snippet of the project's README against its package's MockAPI."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    codes = snippets(readme)
    assert codes, f"{project.name}: a README without Python snippets"
    for name in variables(readme):
        value = "https://api.example.test" if name.endswith("_BASE_URL") else "test-value"
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(workdir)  # downloads are written here
    offline = Offline(package, monkeypatch)
    # a client parameter's variable holds what the test kit gives it, a value of its type
    # (Twilio's `AccountSid` pattern refused "test-value")
    exported = set(variables(readme))
    kit = importlib.import_module(f"{package}.testing")
    for argument, value in kit._TEST_CREDENTIALS.items():
        name = f"{package}_{argument}".upper()
        if name in exported and isinstance(value, tuple):  # basic: `user:password`, as said
            monkeypatch.setenv(name, ":".join(value))
        elif name in exported and isinstance(value, str):
            monkeypatch.setenv(name, value)
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    for index, code in enumerate(codes, 1):
        try:
            exec(compile(code, f"{project.name}/README.md, snippet {index}", "exec"), namespace)
        except Exception as error:
            raise AssertionError(f"snippet {index} of {project.name}/README.md:\n{code}") from error
    failed = [(request, status) for request, status in offline.statuses if status >= 300]
    assert not failed, f"{project.name}: requests the mock could not answer: {failed}"
    assert offline.statuses, f"{project.name}: no snippet called the API"
    return offline


@pytest.mark.parametrize("project", COMMITTED, ids=lambda p: p.name)
def test_committed_readme_snippets_run(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run_readme(project, project.name, monkeypatch, tmp_path)


# an e-mail the API narrows with a pattern: the README wrote the format's `user@example.com`,
# which the client refused before sending (amadeus' hotel bookings)
_STAFF = {
    "type": "object",
    "required": ["email"],
    "properties": {
        "email": {"type": "string", "format": "email", "pattern": "^[a-z]+@corp\\.example$"}
    },
}
PATTERNED_FORMAT = {
    "openapi": "3.1.0",
    "info": {"title": "Staff", "version": "1"},
    "servers": [{"url": "https://api.example.test"}],
    "paths": {
        "/staff": {
            "post": {
                "operationId": "createStaff",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _STAFF}},
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {"application/json": {"schema": _STAFF}},
                    }
                },
            }
        }
    },
}


# a client parameter with a pattern (Twilio's `AccountSid`): the README's variable held
# "test-value", which the client refused before sending
_SID = {"type": "string", "pattern": "^AC[0-9a-f]{32}$"}
PATTERNED_CLIENT_PARAMETER = {
    "openapi": "3.0.3",
    "info": {"title": "Sids", "version": "1", "x-ms-code-generation-settings": {"name": "S"}},
    "servers": [{"url": "https://api.example.test"}],
    "paths": {
        "/subscriptions/{subscriptionId}/things": {
            "get": {
                "operationId": "Things_List",
                "parameters": [
                    {"name": "subscriptionId", "in": "path", "required": True, "schema": _SID}
                ],
                "responses": {
                    "200": {
                        "description": "the things",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"count": {"type": "integer"}},
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}

# a required write-only property (serialisation audit 19): required when sent, so every
# call of the README left it out and raised `RequestValidationError`
_USER = {
    "type": "object",
    "required": ["id", "email", "password"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "email": {"type": "string"},
        "password": {"type": "string", "writeOnly": True},
        "nickname": {"type": "string", "nullable": True},
    },
}
_USER_JSON = {"application/json": {"schema": _USER}}
WRITE_ONLY_REQUIRED = {
    "openapi": "3.0.3",
    "info": {"title": "Users", "version": "1"},
    "servers": [{"url": "https://api.example.test"}],
    "paths": {
        "/users": {
            "post": {
                "operationId": "createUser",
                "requestBody": {"required": True, "content": _USER_JSON},
                "responses": {"201": {"description": "Created", "content": _USER_JSON}},
            }
        }
    },
}


@pytest.mark.parametrize(
    "spec",
    [
        GITHUB_LIKE,
        STRIPE_LIKE,
        RELATIVE_SERVER,
        PATTERNED_FORMAT,
        PATTERNED_CLIENT_PARAMETER,
        WRITE_ONLY_REQUIRED,
    ],
    ids=[
        "github-like",
        "stripe-like",
        "relative-server",
        "patterned-format",
        "patterned-client-parameter",
        "write-only-required",
    ],
)
def test_fixture_spec_readme_snippets_run(
    spec: dict[str, Any],
    build_package: BuildPackage,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    package: ModuleType = build_package(spec)
    project = Path(str(package.__file__)).parents[1]
    workdir = tmp_path / "work"
    workdir.mkdir()
    offline = run_readme(project, package.__name__, monkeypatch, workdir)
    resources = {name.rpartition(".")[0] for name in offline.routes}
    assert resources == {route.name.rpartition(".")[0] for route in offline.mock._routes}


def test_snippets_are_found_in_order() -> None:
    text = "a\n```python\nx = 1\n```\n```bash\nexport A_B=1\n```\n```python\ny = x\n```\n"
    assert snippets(text) == ["x = 1\n", "y = x\n"]
    assert variables(text) == ["A_B"]


@pytest.mark.parametrize("project", COMMITTED, ids=lambda p: p.name)
def test_the_snippets_type_check_as_one_script(project: Path, tmp_path: Path) -> None:
    """A reader's script of every snippet, in order, passes `mypy --strict` with the package
    on its path: a README bound `result` to a model, then to another type in the same block
    (23 of 80 directory READMEs failed so), looped `item` over two item types, opened a
    download `BinaryResponse | None` with `with`, and passed `body={...}` where only the
    union of models was accepted."""
    script = tmp_path / "readme_script.py"
    script.write_text("\n\n".join(snippets((project / "README.md").read_text(encoding="utf-8"))))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "cache"),
            script.name,
        ],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(project)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
