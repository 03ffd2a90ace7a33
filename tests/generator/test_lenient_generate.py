"""The generate profile: metaschema details are warnings, found on peers' and real specs;
only what makes a correct package impossible is refused (issue 13)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Severity, SpecError, format_text
from generator.lint import Profile, lint_spec
from generator.load import load_spec
from generator.pipeline import generate_package
from tests.conftest import BuildPackage, write_spec

INFO = {"title": "Lenient", "version": "1"}
CASES: dict[str, dict[str, Any]] = {
    # datamodel-code-generator's test specs: schemas only, no info, no paths
    "no-info-no-paths": {
        "openapi": "3.0.3",
        "components": {
            "schemas": {"A": {"type": "object", "properties": {"x": {"type": "string"}}}}
        },
    },
    # googleapis cloudbuild: an unknown top-level key
    "unknown-top-level-key": {"openapi": "3.1.0", "info": INFO, "paths": {}, "source": "x"},
    # `const` and a boolean exclusiveMaximum where the version does not allow them
    "const-in-3.0": {
        "openapi": "3.0.3",
        "info": INFO,
        "paths": {},
        "components": {"schemas": {"A": {"type": "object", "properties": {"x": {"const": 3}}}}},
    },
    # a response schema that is not a schema, and responses that are a list
    "broken-responses": {
        "openapi": "3.1.0",
        "info": INFO,
        "paths": {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "responses": {
                        "200": {"description": "x", "content": {"application/json": {"schema": 5}}}
                    },
                }
            },
            "/b": {"get": {"operationId": "getB", "responses": []}},
        },
    },
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_lint_refuses_and_generate_builds(
    case: str, tmp_path: Path, build_package: BuildPackage
) -> None:
    path = write_spec(tmp_path, CASES[case], "spec.json")
    strict = lint_spec(load_spec(path), Profile.STRICT)
    assert any(d.code == "E201" and d.severity is Severity.ERROR for d in strict)
    lenient = lint_spec(load_spec(path), Profile.GENERATE)
    assert [d for d in lenient if d.code == "E201"]
    assert all(d.severity is Severity.WARNING for d in lenient if d.code == "E201")
    build_package(CASES[case], filename="spec.json")  # generates, imports, every model builds


def test_a_document_the_ir_cannot_translate_reports_its_structural_errors(
    tmp_path: Path,
) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": INFO,
        "paths": {},
        "components": {
            "schemas": {
                "A": {"type": "object", "properties": 5, "required": "x", "allOf": {"a": 1}}
            }
        },
    }
    path = write_spec(tmp_path, spec, "spec.json")
    with pytest.raises(SpecError) as raised:
        generate_package(path, tmp_path / "out", package_name="broken")
    errors = [d for d in raised.value.diagnostics if d.severity is Severity.ERROR]
    assert errors and {d.code for d in errors} == {"E201"}
    assert "is not of type 'array'" in errors[0].message and errors[0].location.line == 1
    assert not (tmp_path / "out").exists()


# ---- each wrong-refusal class of issue 13: a warning that states the repair made, and the
# ---- package shows that repair (the E201 is an error again for `lint`)

OK = {"200": {"description": "ok"}, "400": {"description": "bad"}}


def _operation(**fields: Any) -> dict[str, Any]:
    return {"operationId": "op", "responses": OK, **fields}


def _only_method(package: Any) -> Any:
    """The method of the package's only operation (on its only resource's class)."""
    import functools
    import inspect

    client = package.Client(base_url="https://x.test")
    (resource,) = [
        name
        for name, member in vars(type(client)).items()
        if isinstance(member, functools.cached_property)
    ]
    owner = type(getattr(client, resource))
    (found,) = [
        member
        for name, member in vars(owner).items()
        if not name.startswith("_") and inspect.isfunction(member)
    ]
    return found


def _body(schema: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _number_schema(**constraints: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"n": {"type": "number", **constraints}}}


REPAIRS: dict[str, tuple[dict[str, Any], str, str]] = {
    # openapi-python-client's own baselines: an extra `title` on an operation
    "operation-title-3.0": (
        {"openapi": "3.0.3", "paths": {"/a": {"post": _operation(title="Op")}}},
        "/paths/~1a/post/title",
        "ignored the key",
    ),
    "operation-title-3.1": (
        {"openapi": "3.1.0", "paths": {"/a": {"post": _operation(title="Op")}}},
        "/paths/~1a/post/title",
        "ignored the key",
    ),
    # googleapis cloudbuild: an unknown top-level key, located at the key
    "unknown-top-level-key": (
        {"openapi": "3.1.0", "paths": {}, "source": "x"},
        "/source",
        "ignored the key",
    ),
    "const-in-3.0": (
        {
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {"A": {"type": "object", "properties": {"x": {"const": 3}}}}},
        },
        "/components/schemas/A/properties/x/const",
        "read `const` as in OpenAPI 3.1",
    ),
    "exclusive-maximum-true-in-3.1": (
        {
            "openapi": "3.1.0",
            "paths": {},
            "components": {"schemas": {"A": _number_schema(maximum=5, exclusiveMaximum=True)}},
        },
        "/components/schemas/A/properties/n/exclusiveMaximum",
        "read `exclusiveMaximum: true` with 3.0 semantics (`maximum` is exclusive)",
    ),
    "exclusive-maximum-number-in-3.0": (
        {
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {"A": _number_schema(exclusiveMaximum=5)}},
        },
        "/components/schemas/A/properties/n/exclusiveMaximum",
        "read `exclusiveMaximum: 5` with 3.1 semantics (an exclusive maximum)",
    ),
    "null-request-body-schema-3.0": (
        {"openapi": "3.0.3", "paths": {"/a": {"post": _operation(requestBody=_body(None))}}},
        "/paths/~1a/post/requestBody/content/application~1json/schema",
        "treated the `null` schema as any value",
    ),
    "null-request-body-schema-3.1": (
        {"openapi": "3.1.0", "paths": {"/a": {"post": _operation(requestBody=_body(None))}}},
        "/paths/~1a/post/requestBody/content/application~1json/schema",
        "treated the `null` schema as any value",
    ),
    # the bundled 3.1 metaschema misspelled the Link Object's `server` as `body`
    # (OAI/OpenAPI-Specification#4463): mended, `body` is the unknown key now
    "link-body-3.1": (
        {
            "openapi": "3.1.0",
            "paths": {
                "/a": {
                    "get": _operation(
                        responses={
                            "200": {
                                "description": "ok",
                                "links": {"L": {"operationId": "op", "body": {"url": "https://x"}}},
                            },
                            "400": {"description": "bad"},
                        }
                    )
                }
            },
        },
        "/paths/~1a/get/responses/200/links/L/body",
        "ignored the key",
    ),
    "missing-paths": ({"openapi": "3.0.3"}, "", "read as no paths"),
    "null-info-and-paths": (
        {"openapi": "3.0.0", "info": None, "paths": None},
        "/info",
        "read as an empty `info`",
    ),
}


@pytest.mark.parametrize("case", sorted(REPAIRS))
def test_each_lenient_warning_states_its_repair(
    case: str, tmp_path: Path, build_package: BuildPackage
) -> None:
    partial, pointer, repair = REPAIRS[case]
    spec = {"info": INFO, "security": [], **partial}
    path = write_spec(tmp_path, spec, "spec.json")
    strict = [d for d in lint_spec(load_spec(path), Profile.STRICT) if d.code == "E201"]
    assert strict and all(d.is_error for d in strict)
    assert all(repair not in format_text(d) for d in strict)  # an error repairs nothing
    assert all(d.text == d.message for d in strict)
    lenient = [d for d in lint_spec(load_spec(path), Profile.GENERATE) if d.code == "E201"]
    located = [d for d in lenient if d.location.pointer == pointer]
    assert located, [(d.location.pointer, d.text) for d in lenient]
    assert located[0].text.endswith("; " + repair), located[0].text
    assert format_text(located[0]).endswith(f"; {repair} (#{pointer})" if pointer else repair)
    package = build_package(spec, filename="spec.json")
    _check_repair(case, package)


def _check_repair(case: str, package: Any) -> None:
    """The package does what the warning says."""
    import typing

    models = package.models
    if case == "const-in-3.0":
        field = models.A.model_fields["x"]
        # (`Annotated[Literal[3], literal_types(bools=False)]`: `True` is no 3's kin)
        literal = typing.get_args(typing.get_args(field.annotation)[0])[0]
        assert literal == typing.Literal[3]
        models.A(x=3)
        for wrong in (4, True):
            with pytest.raises(ValueError):
                models.A(x=wrong)
    elif case == "exclusive-maximum-true-in-3.1":
        models.A(n=4.9)
        with pytest.raises(ValueError):
            models.A(n=5)  # exclusive, as 3.0 reads `exclusiveMaximum: true`
    elif case == "exclusive-maximum-number-in-3.0":
        models.A(n=4.9)
        with pytest.raises(ValueError):
            models.A(n=5)
    elif case.startswith("null-request-body-schema"):
        hints = typing.get_type_hints(_only_method(package))
        assert hints["body"] == typing.Any | None or hints["body"] is typing.Any
    elif case.startswith("operation-title") or case == "link-body-3.1":
        assert callable(_only_method(package))


def test_the_issue_example_is_located_and_repaired(tmp_path: Path) -> None:
    """`openapi: 3.0.0` with empty `info:` and `paths:` (issue 13: it read `E201 structural
    validation could not complete: 'paths'` at 1:1)."""
    path = tmp_path / "spec.yaml"
    path.write_text("openapi: 3.0.0\ninfo:\npaths:\n", encoding="utf-8")
    found = sorted(
        (d.location.line, d.location.col, d.text)
        for d in lint_spec(load_spec(path), Profile.GENERATE)
        if d.code == "E201"
    )
    assert found == [
        (2, 1, "None is not of type 'object'; read as an empty `info`"),
        (3, 1, "None is not of type 'object'; read as no paths"),
    ]


def _ok(operation_id: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "parameters": parameters,
        "responses": {"200": {"description": "ok"}},
    }


def _answers(operation_id: str, text: str) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"text": {"type": "string", "example": text}}}
    content = {"application/json": {"schema": schema}}
    return {
        "operationId": operation_id,
        "responses": {"200": {"description": "ok", "content": content}},
    }


QUERY_IN_PATH = {
    "openapi": "3.0.3",
    "info": INFO,
    "servers": [{"url": "https://api.example.test"}],
    "paths": {
        # medium.com: declared as a query parameter under the template's name
        "/search?q={q}&v=2": {
            "get": _ok("search", [{"name": "q", "in": "query", "schema": {"type": "string"}}])
        },
        # staging-ecotaco.com: declared as a path parameter
        "/rides?page={page}": {
            "get": _ok(
                "rides",
                [{"name": "page", "in": "path", "required": True, "schema": {"type": "integer"}}],
            )
        },
        # clicksend.com: not declared at all
        "/uploads?convert={convert}": {"post": _ok("upload", [])},
        # flickr.com: one path, several operations told apart by a literal query
        "/rest?method=a.b": {"get": _answers("methodA", "from a")},
        "/rest?method=c.d": {"get": _answers("methodC", "from c")},
    },
}


def test_templates_in_a_paths_query_part_are_query_parameters(
    tmp_path: Path, build_package: BuildPackage
) -> None:
    """Six directory specs (clicksend, icons8, medium, weatherbit…) put the query in the
    path key: lint refuses an undeclared template (E309), generate sends it as the query
    parameter its pair names, and keeps the literal pairs."""
    import httpx

    path = write_spec(tmp_path, QUERY_IN_PATH, "spec.json")
    strict = [d for d in lint_spec(load_spec(path), Profile.STRICT) if d.code in ("E303", "E309")]
    # `{page}`, declared `in: path`, is read as the query parameter without a word
    assert sorted((d.code, d.is_error, d.message.split()[0]) for d in strict) == [
        ("E309", True, "{convert}"),
        ("E309", True, "{q}"),
    ]
    lenient = [d for d in lint_spec(load_spec(path), Profile.GENERATE) if d.code == "E309"]
    assert [d.is_error for d in lenient] == [False, False]
    package = build_package(QUERY_IN_PATH, filename="spec.json")
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(http_client=http)
    client.search.retrieve(q="cats")
    client.rides.retrieve(page=2)
    client.uploads.create(convert="yes")
    assert [(r.url.path, dict(r.url.params)) for r in sent] == [
        ("/search", {"v": "2", "q": "cats"}),
        ("/rides", {"page": "2"}),
        ("/uploads", {"convert": "yes"}),
    ]
    client.rest.method_a(extra_query={"x": "1"})
    assert dict(sent[-1].url.params) == {"method": "a.b", "x": "1"}
    # the test kit tells the two `/rest` operations apart by their literal query
    importlib.import_module(f"{package.__name__}.testing")
    mock = package.testing.MockAPI().client()
    assert (mock.rest.method_a().text, mock.rest.method_c().text) == ("from a", "from c")


def test_a_template_that_is_not_a_whole_query_value_is_still_refused(tmp_path: Path) -> None:
    spec = {**QUERY_IN_PATH, "paths": {"/search?q={a}-{b}": {"get": _ok("search", [])}}}
    path = write_spec(tmp_path, spec, "spec.json")
    found = [d for d in lint_spec(load_spec(path), Profile.GENERATE) if d.is_error]
    assert {d.code for d in found} == {"E303"}


def test_anchor_references_generate_the_schemas_they_name(build_package: Any) -> None:
    """`$ref: '#name'` (an `$anchor`, OpenAPI 3.1) was refused with E105; each now types
    its field with the schema of its own resource (peers' test spec dcg/anchor_refs.yaml)."""
    from tests.lint.test_load import ANCHORS_SPEC

    spec = ANCHORS_SPEC.replace('        term: {$ref: "parameter.yaml#term"}\n', "")
    spec = spec.replace("      parameters:\n        - $ref: parameter.yaml\n", "")
    package = build_package(spec)
    models = package.models
    assert models.Other.model_validate({"label": "a", "size": 2}).size == 2
    with pytest.raises(ValueError):
        models.Other.model_validate({"size": "many"})
    assert models.Box.model_validate({"item": 1.5, "same": 2.5}).item == 1.5
    assert models.Crate.model_validate({"item": True}).item is True
    with pytest.raises(ValueError):
        models.Crate.model_validate({"item": 1.5})


def test_a_requirement_naming_an_undeclared_scheme_is_dropped(
    tmp_path: Path, build_package: BuildPackage
) -> None:
    """E702 (peers' test spec dcg/query_parameters.yaml): `lint` refuses it; `generate`
    warns, drops that requirement and keeps the others."""
    spec = {
        "openapi": "3.1.0",
        "info": INFO,
        "security": [{"BearerAuth": []}, {"Key": []}],
        "paths": {
            "/a": {"get": {"operationId": "getA", "responses": {"204": {"description": "x"}}}}
        },
        "components": {"securitySchemes": {"Key": {"type": "apiKey", "in": "header", "name": "K"}}},
    }
    path = write_spec(tmp_path, spec, "spec.json")
    [strict] = [d for d in lint_spec(load_spec(path), Profile.STRICT) if d.code == "E702"]
    assert strict.is_error
    [lenient] = [d for d in lint_spec(load_spec(path), Profile.GENERATE) if d.code == "E702"]
    assert not lenient.is_error
    assert lenient.text.endswith("; dropped the requirement that names it")
    assert lenient.location.pointer == "/security/0/BearerAuth"
    package = build_package(spec, filename="spec.json")
    schemes = importlib.import_module(package.__name__ + "._schemes")
    assert schemes.SECURITY == (("Key",),)


def test_content_type_headers_are_dropped_before_their_refs_are_followed(
    tmp_path: Path, build_package: BuildPackage
) -> None:
    """Peers' test spec dcg/ignored_content_type_header_refs.yaml: OpenAPI says a response's
    or an encoding's `Content-Type` header is ignored, so a `$ref` there that names a missing
    file (or itself) does not refuse the spec; each is a located W108, in `lint` too."""
    own = "/paths/~1upload/post/requestBody/content/multipart~1form-data/encoding/file/headers"
    spec = {
        "openapi": "3.1.0",
        "info": INFO,
        "paths": {
            "/upload": {
                "post": {
                    "operationId": "upload",
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"file": {"type": "string"}},
                                },
                                "encoding": {
                                    "file": {
                                        "headers": {
                                            "Content-Type": {"$ref": f"#{own}/Content-Type"},
                                            "X-Part": {"schema": {"const": "1"}},
                                        }
                                    }
                                },
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {
                                "content-type": {"$ref": "missing.yaml#/ContentType"},
                                "X-Rate": {"schema": {"type": "integer"}},
                            },
                        },
                        "400": {"$ref": "#/components/responses/Bad"},
                    },
                }
            }
        },
        "components": {
            "responses": {
                "Bad": {
                    "description": "bad",
                    "headers": {"Content-Type": {"schema": {"type": "string"}}},
                }
            },
            "schemas": {  # a property called `headers` is data of a schema, not a header map
                "Envelope": {
                    "type": "object",
                    "properties": {"headers": {"type": "object"}},
                    "example": {"responses": {"headers": {"Content-Type": "text/plain"}}},
                }
            },
        },
    }
    path = write_spec(tmp_path, spec, "spec.json")
    loaded = load_spec(path)
    found = [d for d in lint_spec(loaded, Profile.STRICT) if d.code.startswith(("W108", "E10"))]
    assert [(d.code, d.is_error, d.location.pointer) for d in found] == [
        ("W108", False, f"{own}/Content-Type"),
        ("W108", False, "/paths/~1upload/post/responses/200/headers/content-type"),
    ]
    assert found[0].location.col > 1  # located in the file (written on one line)
    assert list(loaded.document["components"]["responses"]["Bad"]["headers"]) == []
    envelope = loaded.document["components"]["schemas"]["Envelope"]
    assert envelope["example"]["responses"]["headers"] == {"Content-Type": "text/plain"}
    package = build_package(spec, filename="spec.json")
    assert package.Client is not None


def test_a_31_link_with_server_is_valid_and_example_beside_examples_is_not(
    tmp_path: Path,
) -> None:
    """The bundled 3.1 metaschema is mended as the OAI publishes it now: a Link Object's
    `server` is no error (it was an unknown key), `example` beside `examples` is one."""
    ok = {
        "description": "ok",
        "links": {"L": {"operationId": "op", "server": {"url": "https://x"}}},
    }
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": INFO,
        "paths": {"/a": {"get": _operation(responses={"200": ok, "400": {"description": "bad"}})}},
    }
    path = write_spec(tmp_path, spec, "spec.json")
    assert [d.text for d in lint_spec(load_spec(path), Profile.STRICT) if d.code == "E201"] == []
    parameter = {"name": "q", "in": "query", "schema": {}, "example": 1, "examples": {}}
    spec["paths"]["/a"]["get"]["parameters"] = [parameter]  # (a dict: typed as Any)
    path = write_spec(tmp_path, spec, "spec.json")
    [found] = [d for d in lint_spec(load_spec(path), Profile.STRICT) if d.code == "E201"]
    assert found.is_error and found.message == "`example` and `examples` may not both be given"
