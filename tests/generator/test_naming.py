"""Names are decided once: valid, unique, stable identifiers for any spec name."""

from __future__ import annotations

import ast
import datetime
import json
import keyword
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from generator.naming import (
    NameScope,
    Style,
    field_scope,
    package_name,
    styled,
)
from generator.naming_reserved import PYDANTIC_RESERVED, SIGNATURE_RESERVED
from tests.conftest import (
    GENERATED_DIR,
    GOLDEN_DIR,
    BuildPackage,
    assert_package_passes_checkers,
    method,
    minimal_spec,
    recording,
)


@pytest.mark.parametrize(
    ("text", "snake", "pascal"),
    [
        ("billingEntityCode", "billing_entity_code", "BillingEntityCode"),
        ("BillingProfile", "billing_profile", "BillingProfile"),
        ("MS-RequestId", "ms_request_id", "MSRequestId"),
        ("line1", "line1", "Line1"),
        ("AddressLine1", "address_line1", "AddressLine1"),
        ("HTTPServer", "http_server", "HTTPServer"),
        ("with space", "with_space", "WithSpace"),
        ("Año", "ano", "Ano"),
        ("a'b\"c", "a_b_c", "ABC"),
        ("ContactIDs", "contact_ids", "ContactIDs"),  # a plural acronym (was contact_i_ds)
        ("URLsList", "urls_list", "URLsList"),
        ("UUIDs2", "uuids2", "UUIDs2"),
        # one word in mixed case (UX audit 4: `o_auth2=` was the credential's argument)
        ("OAuth2", "oauth2", "OAuth2"),
        ("GitHubAppInstallation", "github_app_installation", "GitHubAppInstallation"),
        ("iOSDevice", "ios_device", "IOSDevice"),
        ("IPv6Address", "ipv6_address", "IPv6Address"),
    ],
)
def test_styles(text: str, snake: str, pascal: str) -> None:
    assert styled(text, Style.SNAKE) == snake
    assert styled(text, Style.PASCAL) == pascal


@pytest.mark.parametrize(
    "text",
    [
        "class",
        "None",
        "match",
        "type",
        "model_config",
        "json",
        "copy",
        "schema",
        "validate",
        "fields",
        "model_dump",
        "str",
        "1st",
        "",
        "日本",
        "__init__",
        "_links",
        "---",
    ],
)
def test_field_names_are_valid_and_safe(text: str) -> None:
    name = field_scope().claim(text, Style.SNAKE, prefix="field")
    assert name.isidentifier()
    assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
    assert name not in PYDANTIC_RESERVED
    assert not name.startswith("_")


def test_pydantic_reserved_covers_base_model_attributes() -> None:
    # the metaclass's too, read through the class (`mro`: pydantic warned at every build)
    public = {n for n in (*dir(BaseModel), *dir(type(BaseModel))) if not n.startswith("_")}
    assert public <= PYDANTIC_RESERVED


def test_uniqueness_is_stable() -> None:
    first = NameScope()
    names = [first.claim(t, Style.SNAKE) for t in ("fooBar", "foo_bar", "foo-bar", "FooBar")]
    assert names == ["foo_bar", "foo_bar_", "foo_bar_2", "foo_bar_3"]
    second = NameScope()
    assert [
        second.claim(t, Style.SNAKE) for t in ("fooBar", "foo_bar", "foo-bar", "FooBar")
    ] == names


def test_package_names() -> None:
    assert package_name("paypal-billing-entities") == "paypal_billing_entities"
    assert package_name("3d-secure") == "api_3d_secure"
    assert package_name("class") == "class_api"


# ---- parameters never shadow what a generated method uses ----------------------------------
# spec names a method's body or its `cast` target would otherwise see as its own parameters
_SHADOWING = ["cast", "dict", "request_body", "list", "builtins", "httpx", "self"]
# names no method here reads: they keep their names (`type` is many APIs' parameter; a
# `format: date` is the runtime's `Date`, so `date` is no name the cast spells)
_UNUSED = ["type", "object", "time", "date"]


def _shadowing_spec() -> dict[str, Any]:
    names = _SHADOWING + _UNUSED
    query = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in names]
    page = [{"name": "page", "in": "query", "schema": {"type": "integer"}}]
    dates = {"type": "array", "items": {"type": "string", "format": "date"}}
    body = {"type": "object", "properties": {n: {"type": "string"} for n in names}}
    return minimal_spec(
        paths={
            "/days": {
                "get": {
                    "operationId": "listDays",
                    "parameters": query + page,
                    "x-pagination": {"scheme": "page", "param": "page"},
                    "responses": {"200": _json(dates)},
                },
                "post": {
                    "operationId": "createDay",
                    "requestBody": {"required": True, "content": _json(body)["content"]},
                    "responses": {"200": _json({"type": "string", "format": "date"})},
                },
            }
        }
    )


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "ok", "content": {"application/json": {"schema": schema}}}


def test_parameters_never_shadow_what_the_method_uses(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """A parameter or body property called `cast`, `dict`, `request_body`… (what every
    method body reads) is renamed (`cast_`), its wire name kept, and so is one called like
    a name the method's own `cast` target spells (`list` for `"list[Date]"`, which mypy
    reads in the method's scope); any other name stays (`type`, `date`, and `list` where
    the method returns no list)."""
    package = build_package(_shadowing_spec())
    assert_package_passes_checkers(package, tmp_path / "mypy")
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json=[] if request.method == "GET" else "2024-01-02")

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test", http_client=http)
    expected = {name: name for name in _SHADOWING + _UNUSED}
    listed = {f"{n}_": n for n in _SHADOWING} | {n: n for n in _UNUSED}
    assert list(client.days.list(**listed)) == []
    # (the list pages by number: its first page is asked for as `page=1`)
    assert dict(requests[-1].url.params) == {**expected, "page": "1"}
    created = {f"{n}_": n for n in _SHADOWING if n != "list"} | {n: n for n in ["list", *_UNUSED]}
    assert client.days.create(**created) == datetime.date(2024, 1, 2)
    assert json.loads(requests[-1].content) == expected


def test_no_generated_method_reads_a_global_one_of_its_arguments_shadows() -> None:
    """In the committed packages: the module-level names a resource method's body reads
    (`cast`, `dict`…) are reserved for every method, and no argument of a method is called
    like a name its `cast` target spells."""
    read: set[str] = set()
    methods = 0
    packages = [*GENERATED_DIR.glob("*/*/resources"), *GOLDEN_DIR.glob("*/*/resources")]
    assert packages
    for resources in packages:
        for module in resources.glob("*.py"):
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
                if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef):
                    if node.name.startswith("_"):  # `_op_*`, `__init__`: no spec argument
                        continue
                    own = {a.arg for a in (*node.args.args, *node.args.kwonlyargs)}
                    body, targets = _global_names(node)
                    read |= body - own
                    assert not targets & own, (module, node.name, targets & own)
                    methods += 1
    assert methods > 100 and {"cast", "dict", "request_body"} <= read
    assert {n for n in read if styled(n, Style.SNAKE) == n and n[0] != "_"} <= SIGNATURE_RESERVED


def _global_names(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
) -> tuple[set[str], set[str]]:
    """The names `function`'s body reads, and those its `cast` targets spell."""
    names: set[str] = set()
    targets: set[str] = set()
    for statement in function.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                names.add(node.id)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                target = node.args[0] if node.func.id == "cast" and node.args else None
                if isinstance(target, ast.Constant) and isinstance(target.value, str):
                    parsed = ast.parse(target.value, mode="eval")
                    targets.update(n.id for n in ast.walk(parsed) if isinstance(n, ast.Name))
    return names, targets


@pytest.mark.parametrize(
    ("text", "style", "name"),
    [("l", Style.SNAKE, "l_"), ("I", Style.PASCAL, "I_"), ("O", Style.UPPER, "O_")],
)
def test_ambiguous_names_get_a_suffix(text: str, style: Style, name: str) -> None:
    """`l`, `O` and `I` are refused by ruff (E741-E743) as any identifier: they are renamed
    like keywords are."""
    assert NameScope().claim(text, style) == name
    assert field_scope().claim(text, Style.SNAKE) == ("l_" if text == "l" else text.lower())


# tags whose classes ruff sorts as constants (`V2`, `R123`, `U1F389`: every cased letter is
# upper case) before `AsyncV2`, and ambiguous names (`l`, `I`, `O`) in every position
_RUFF_TAGS = ["v2", "123", "🎉", "I", "O", "l"]


def _ruff_spec() -> dict[str, Any]:
    def operation(index: int, tag: str) -> dict[str, Any]:
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/I"}}}
        answer = {"application/json": {"schema": {"$ref": "#/components/schemas/UN"}}}
        return {
            "operationId": f"send{index}",
            "tags": [tag],
            "parameters": [
                {"name": "l", "in": "query", "schema": {"$ref": "#/components/schemas/N"}},
                {"name": "O", "in": "query", "schema": {"$ref": "#/components/schemas/O"}},
            ],
            "requestBody": {"content": body},
            "responses": {"200": {"description": "ok", "content": answer}},
        }

    schemas = {
        "I": {
            "type": "object",
            "properties": {n: {"type": "string"} for n in ("l", "I", "O")},
        },
        "O": {"type": "string", "enum": ["l", "I", "O"]},
        "N": {"type": "string"},  # a class, sorted after the constant `UN`
        "UN": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/N"}}},
    }
    paths = {f"/p{i}": {"post": operation(i, tag)} for i, tag in enumerate(_RUFF_TAGS)}
    return minimal_spec(schemas, paths)


def test_ordinary_names_pass_ruff(build_package: BuildPackage, tmp_path: Path) -> None:
    """A resource module's `__all__` (`["V2", "V2WithRawResponse", "AsyncV2", …]`) and the
    models an operation imports (`UN, N`) are in ruff's order (RUF022, I001); a property,
    parameter, enum member or class called `l`, `O` or `I` is renamed (`l_`, `O_`, `I_`: E741,
    E742, E743), its wire name kept."""
    package = build_package(_ruff_spec())
    assert_package_passes_checkers(package, tmp_path / "mypy")
    models = package.models
    item = models.I_.model_validate({"l": "1", "I": "2", "O": "3"})
    assert (item.l_, item.i, item.o) == ("1", "2", "3")
    assert item.model_dump(by_alias=True) == {"l": "1", "I": "2", "O": "3"}
    assert [m.name for m in models.O_] == ["L", "I_", "O_"]
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={"n": "x"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test", http_client=http)
    for attribute in ("v2", "r_123", "u1_f389", "i", "o", "l_"):
        assert hasattr(client, attribute), attribute
    answer = client.l_.send5(l_="a", o=models.O_.I_, l_2="b")
    assert answer.n == "x"
    assert dict(requests[-1].url.params) == {"l": "a", "O": "I"}
    assert json.loads(requests[-1].content) == {"l": "b"}


def test_members_never_shadow_what_class_bodies_read(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """A resource called `cached_property` (a tag, `x-sdk-resource`), a sub-resource `date`
    or a method `httpx` shadowed the decorator or the annotations of every member after it
    in its class (the package failed to import, or mypy found `httpx.Timeout` undefined):
    they take a suffix, and everything else keeps its name."""

    def op(operation_id: str, tag: str, **extra: Any) -> dict[str, Any]:
        responses = {"200": {"description": "ok"}}
        return {"operationId": operation_id, "tags": [tag], "responses": responses, **extra}

    spec = minimal_spec(
        {},
        {
            "/a": {"get": op("getA", "cached_property")},
            "/b": {"get": op("httpx", "users"), "post": op("overload", "users")},
            "/c": {"get": op("getC", "users", **{"x-sdk-resource": "users.date"})},
            "/d": {"get": op("getD", "zeta")},
        },
    )
    package = build_package(spec)
    assert_package_passes_checkers(package, tmp_path / "mypy")
    client = package.Client(base_url="https://api.example.test")
    assert callable(client.cached_property_.get_a) and callable(client.zeta.get_d)
    assert callable(client.users.httpx_) and callable(client.users.overload_)
    assert callable(client.users.date.retrieve)


def test_fields_called_type_or_object_keep_their_name(build_package: BuildPackage) -> None:
    """Stripe's `object` and everyone's `type` were `object_` and `type_`; Stripe's and
    OpenAI's SDKs call them `customer.object` and `event.type`, and nothing a model's class
    body spells is shadowed by them (below)."""
    schema = {
        "type": "object",
        "properties": {
            "object": {"type": "string", "enum": ["customer"]},
            "type": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
    }
    package = build_package(minimal_spec({"Customer": schema}, {}))
    customer = package.models.Customer.model_validate(
        {"object": "customer", "type": "person", "tags": ["a"]}
    )
    assert (customer.object, customer.type, customer.tags) == ("customer", "person", ["a"])
    assert customer.model_dump(mode="json", exclude_unset=True)["type"] == "person"


def test_no_model_class_body_spells_type_or_object() -> None:
    """What lets fields be called `type` and `object` (`naming._FIELD_RESERVED`): no class
    body of the committed packages' models reads either name."""
    read: set[str] = set()
    for module in [*GOLDEN_DIR.glob("*/*/models/*.py"), *GENERATED_DIR.glob("*/*/models/*.py")]:
        for node in ast.parse(module.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ClassDef):
                continue
            for statement in node.body:
                parts: list[ast.AST] = []
                if isinstance(statement, ast.AnnAssign):
                    parts = [statement.annotation, *([statement.value] if statement.value else [])]
                elif isinstance(statement, ast.Assign):
                    parts = [statement.value]
                read.update(n.id for p in parts for n in ast.walk(p) if isinstance(n, ast.Name))
    assert "str" in read  # the walk sees the annotations
    assert not read & {"type", "object"}


def test_card_numbers_and_codes_stay_out_of_repr(build_package: BuildPackage) -> None:
    """Adyen's `CardDetails(number=..., cvc=...)` printed both: a property named like a card
    or account number, a security code or a credential is left out of `repr` (its type and
    value are unchanged), even where the spec marks nothing (`x-sensitive`, `password`)."""
    card = {
        "type": "object",
        "properties": {
            "number": {"type": "string"},
            "cvc": {"type": "string"},
            "holderName": {"type": "string"},
        },
    }
    other = {"type": "object", "properties": {"number": {"type": "integer"}}}
    package = build_package(minimal_spec({"CardDetails": card, "Invoice": other}, {}))
    details = package.models.CardDetails(number="4111111111111111", cvc="737", holderName="A B")
    assert "4111" not in repr(details) and "737" not in repr(details) and "A B" in repr(details)
    assert details.number == "4111111111111111"  # a plain str still
    assert details.model_dump()["cvc"] == "737"
    assert "number=7" in repr(package.models.Invoice(number=7))  # not a card's


_JSON_STRINGS = {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}


def test_comparison_parameters_are_named_in_words(build_package: BuildPackage) -> None:
    """Twilio's `StartTime<` and `StartTime>` beside `StartTime` were `start_time_` and
    `start_time_2`; twilio-python calls them `start_time_before` and `start_time_after`
    (a date's comparisons), and other comparisons read `lt`, `gt`, `lte`, `gte`. The wire
    names are unchanged; a name with `<` inside (`Page<User>`) is not a comparison."""
    date_time = {"type": "string", "format": "date-time"}
    names = {
        "StartTime": date_time,
        "StartTime<": date_time,
        "StartTime>": date_time,
        "Day<=": {"type": "string", "format": "date"},
        "Price>=": {"type": "integer"},
        "Price<": {"type": "integer"},
        "Page<User>": {"type": "string"},
    }
    params = [{"name": n, "in": "query", "schema": s} for n, s in names.items()]
    operation = {
        "operationId": "listCalls",
        "parameters": params,
        "responses": {"200": {"description": "calls", "content": _JSON_STRINGS}},
    }
    package = build_package(minimal_spec({}, {"/calls": {"get": operation}}))
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json=[])

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test", http_client=http)
    when = datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)
    day = datetime.date(2024, 1, 3)
    listed = client.calls.list(
        start_time=when,
        start_time_before=when,
        start_time_after=when,
        day_on_or_before=day,
        price_gte=5,
        price_lt=9,
        page_user="u",
    )
    assert list(listed) == []
    sent = dict(requests[-1].url.params)
    assert sorted(sent) == sorted(names)
    assert (sent["Day<="], sent["Price>="], sent["Price<"]) == ("2024-01-03", "5", "9")


def test_an_operation_id_that_only_spells_the_request_yields_to_the_summary(
    build_package: BuildPackage,
) -> None:
    """Box's operationIds are the request spelled out (`get_files_id_content`,
    `post_folders_id`: 94 of its 260 methods were named so, UX audit 5), and so is the name
    derived where there is none (`get /files/{file_id}/content`); their summaries say what
    they do: "Download file", "Restore folder". An operationId that says more is kept."""
    path_id = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]

    def op(tag: str, summary: str, operation_id: str | None = None) -> dict[str, Any]:
        found: dict[str, Any] = {"tags": [tag], "summary": summary}
        found["responses"] = {"200": {"description": "ok"}}
        if operation_id:
            found["operationId"] = operation_id
        return found

    paths = {
        "/files/{id}/content": {
            "parameters": path_id,
            "get": op("Downloads", "Download file"),
            "post": op("Uploads", "Upload file version.", "post_files_id_content"),
        },
        "/folders/{id}": {
            "parameters": path_id,
            "post": op("Trashed folders", "Restore folder", "post_folders_id"),
            "get": op("Folders", "Get folder information", "get_folders_id"),
            "put": op("Folders", "Move folder to another parent", "moveFolder"),
        },
        "/folders/{id}/items": {
            "parameters": path_id,
            "get": op("Folder items", "List items in folder", "get_folders_id_items"),
            "put": op(
                "Folder items", "Replace every item of the folder at once", "put_folders_id_items"
            ),
        },
    }
    package = build_package(minimal_spec({}, paths))
    client = package.Client(base_url="https://api.example.test")
    for dotted in (
        "downloads.download_file",
        "uploads.upload_file_version",
        "trashed_folders.restore",
        "folders.retrieve",  # a REST verb still comes first
        "folders.update",
        "folder_items.list",
        # the tag ("Folder items") names the path's last segment: its REST verb applies
        "folder_items.update",
    ):
        assert callable(method(client, dotted)), dotted


def test_a_tag_ending_with_the_path_s_last_segment_takes_its_rest_verbs(
    build_package: BuildPackage,
) -> None:
    """DigitalOcean's "CDN Endpoints" on `/v2/cdn/endpoints` and Hetzner's "Server Actions"
    on `/servers/{id}/actions` name the path's last segment: `cdn_endpoints.list()`, not
    `cdn_endpoints.cdn_list_endpoints()` (UX audit 11); a tag naming an earlier segment leaves
    the later ones out of the verb (Circuit's "Incoming Webhooks" on
    `/webhooks/incoming/create/{id}`). `delete` goes to the object by its id before a bulk
    delete of the collection (SendGrid's `DELETE /contactdb/lists`) or of a bulk operationId
    (Jira's `bulkDeleteIssueProperty`), and a summary confirms a verb where the operationId
    only spells the request (VTEX's "Get Prices", a POST to `/prices`, creates nothing)."""
    item = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    listed = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"type": "array", "items": {}}}},
        }
    }

    def op(tag: str, operation_id: str | None, summary: str = "") -> dict[str, Any]:
        found: dict[str, Any] = {"tags": [tag], "responses": {"204": {"description": "done"}}}
        if operation_id:
            found["operationId"] = operation_id
        if summary:
            found["summary"] = summary
        return found

    paths = {
        "/v2/cdn/endpoints": {
            "get": {**op("CDN Endpoints", "cdn_list_endpoints"), "responses": listed},
            "post": op("CDN Endpoints", "cdn_create_endpoint"),
        },
        "/v2/cdn/endpoints/{id}": {
            "parameters": item,
            "get": op("CDN Endpoints", "cdn_get_endpoint"),
            "delete": op("CDN Endpoints", "cdn_delete_endpoint"),
        },
        "/v2/lists": {"delete": op("Contact Lists", "delete_multiple")},
        "/v2/lists/{id}": {"parameters": item, "delete": op("Contact Lists", "remove_list")},
        "/v2/issue/properties/{id}": {
            "parameters": item,
            "delete": op("Issue properties", "bulkDeleteIssueProperty"),
        },
        "/v2/issue/{id}/properties": {
            "parameters": item,
            "delete": op("Issue properties", "deleteIssueProperty"),
        },
        "/v2/webhooks/incoming/create/{id}": {
            "parameters": item,
            "post": op("Incoming Webhooks", "createIncomingWebhook"),
        },
        "/v2/prices": {"post": op("Price Hub Prices", None, "Get Prices")},
    }
    package = build_package(minimal_spec({}, paths))
    http, sent = recording()
    client = package.Client(base_url="https://api.example.test", http_client=http)
    for dotted in (
        "cdn_endpoints.list",
        "cdn_endpoints.create",
        "cdn_endpoints.retrieve",
        "cdn_endpoints.delete",
        "incoming_webhooks.create_incoming_webhook",
        "price_hub_prices.get",
    ):
        assert callable(method(client, dotted)), dotted
    for wrong in ("incoming_webhooks.incoming", "price_hub_prices.create"):
        with pytest.raises(AttributeError):
            method(client, wrong)
    client.contact_lists.delete("7")
    client.issue_properties.delete("8")
    assert [r.url.path for r in sent] == ["/v2/lists/7", "/v2/issue/8/properties"]


@pytest.mark.parametrize(
    ("summary", "operation_id", "expected"),
    [
        ("Copy folder", "copyFolder", None),  # the operationId says more than the path
        ("Copy folder", "post_folders_id", "copy"),
        ("List items in folder", "get folders/{id}", "list_items"),
        ("Download file.", "get_files_id_content", "download_file"),
        ("Get the folder's items", "get_folders_id", "get_folder_items"),  # a possessive
        ("Get folder items (beta)", "get_folders_id", None),  # no plain words
        ("List items for the current folder", "get_folders_id", "list_items"),  # qualified
        ("Update every item of one folder at once", "put_folders_id", None),  # too long
        ("", "get_folders_id", None),
        # a verb in the third person is a command (UX audit 10: Xero's `retrieves_folders`)
        ("Retrieves items of folder", "get_folders_id", "retrieve_items"),
        ("Searches folder", "get_folders_id", "search"),
        ("Status of folder", "get_folders_id", "status"),  # no verb: as it is
        # describing verbs stay: "Returns payments" is no refund, "Gets" took another's name
        ("Returns payments", "get_folders_id", "returns_payments"),
        ("Gets similar items", "get_folders_id", "gets_similar_items"),
    ],
)
def test_summary_text(summary: str, operation_id: str, expected: str | None) -> None:
    from generator.naming_methods import summary_text

    path = "/folders/{id}" if "content" not in operation_id else "/files/{id}/content"
    assert (
        summary_text(
            summary, operation_id, "GET" if operation_id[0] == "g" else "POST", path, ["folders"]
        )
        == expected
    )


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("Add a user to the default reviewers", "add_user_to_default_reviewers"),
        ("List a commit's comments", "list_commit_comments"),
        ("Check if the current user voted", "check_if_current_user_voted"),
        ("Remove every user from all the default reviewers of it", None),  # over six words
    ],
)
def test_a_longer_summary_names_a_method_whose_request_spelled_out_is_longer(
    summary: str, expected: str | None
) -> None:
    """Bitbucket's operations have no operationId: the request spelled out
    (`put_repositories_workspace_repo_slug_default_reviewers_target_username`) gives way to
    the summary's phrase of up to six words, which a short spelling (`get_activity`) does not."""
    from generator.naming_methods import summary_text

    path = "/repositories/{workspace}/{repo_slug}/default-reviewers/{target_username}"
    spelled = "put_repositories_workspace_repo_slug_default_reviewers_target_username"
    assert summary_text(summary, spelled, "PUT", path, ["pullrequests"]) == expected
    short = summary_text(summary, "put_reviewers", "PUT", "/reviewers", ["pullrequests"])
    assert short is None or short.count("_") < 4  # five words and more: not for it


def test_an_http_method_in_capitals_glued_to_the_action() -> None:
    """UX audit 7: Zuora's `Action_POSTamend` was `action_pos_tamend` (the last capital of
    `POST` began the next word); on its resource `actions` it is `amend`."""
    from generator.naming import split_words
    from generator.naming_methods import method_text

    assert split_words("Action_POSTamend") == ["Action", "POST", "amend"]
    assert split_words("POSTs") == ["POSTs"] and split_words("HTTPServer") == ["HTTP", "Server"]
    assert method_text("Action_POSTqueryMore", ["actions"]) == "query_More"
    assert method_text("TagResource", ["tags"]) == "TagResource"  # a noun stays with its verb


def test_a_resource_named_after_the_verb_is_left_out() -> None:
    """UX audit 18: Kubernetes' `listCoreV1NamespacedPod` on `core_v1` was
    `core_v1.list_core_v1_namespaced_pod` (its client's `list_namespaced_pod`); Asana's
    `getCustomFieldSettingsForProject` on `custom_field_settings` stuttered too. A name of
    one word stays (`createPetPhoto` on `pets`), and so does one that would be left bare."""
    from generator.naming_methods import method_text

    assert method_text("listCoreV1NamespacedPod", ["core_v1"]) == "list_Namespaced_Pod"
    assert method_text("readCoreV1NamespacedPod", ["core_v1"]) == "read_Namespaced_Pod"
    assert method_text("watchCoreV1NamespacedPod", ["core_v1"]) == "watch_Namespaced_Pod"
    assert method_text("connectCoreV1GetNodeProxy", ["core_v1"]) == "connect_Get_Node_Proxy"
    custom = ["custom_field_settings"]
    assert method_text("getCustomFieldSettingsForProject", custom) == "get_For_Project"
    assert method_text("getCustomFieldSettings", custom) == "getCustomFieldSettings"
    assert method_text("createPetPhoto", ["pets"]) == "createPetPhoto"
    assert method_text("CoreV1ListPods", ["core_v1"]) == "List_Pods"  # (as before)
    assert method_text('"', ["core_v1"]) == '"'  # (no word at all: it raised IndexError)


def _claimed_by_search(scope: NameScope, text: str, style: Style) -> str:
    """What `NameScope.claim` gave before it remembered each base's next counter: the
    search from 2 every time (quadratic for 80,000 names of one base: hostile audit 17),
    which a new scope holding the same names still does (it remembers nothing yet)."""
    mirror = NameScope(scope._reserved, scope._suffix)
    mirror._taken = set(scope._taken)
    return mirror.claim(text, style)


@given(
    st.lists(
        st.sampled_from(["a", "A", "a_", "a_2", "a_3", "ab", "a 2", "class", "AB", "a b"]),
        max_size=40,
    ),
    st.sampled_from([Style.SNAKE, Style.PASCAL]),
)
@settings(max_examples=300, deadline=None)
def test_claims_remembering_counters_are_the_search_s(texts: list[str], style: Style) -> None:
    """Remembering where each base's counter stopped gives the names searching from 2 gave:
    claimed names are never given back, so every smaller counter is still taken."""
    scope = NameScope({"b", "a_4"})
    for text in texts:
        expected = _claimed_by_search(scope, text, style)
        assert scope.claim(text, style) == expected


def test_no_file_or_folder_takes_a_windows_device_name(build_package: BuildPackage) -> None:
    """Names audit 18: a tag `aux` and a schema `Con` made `resources/aux.py` and
    `models/con.py`, and a spec `con.yaml` the package folder `con/`: Windows keeps those
    names for devices, with any extension, so no checkout or install there could hold them.
    The modules are named apart (attributes and classes keep their names); `con` is no
    package name (E801 when given, the title's name when it is the file's)."""
    from pathlib import PureWindowsPath

    from generator.distribution import needs_title, package_name_problem

    item = {"type": "object", "properties": {"id": {"type": "string"}}}
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": item}}}}
    ref = {"$ref": "#/components/schemas/Con"}
    paths = {
        "/aux": {"get": {"operationId": "getAux", "tags": ["aux"], "responses": ok}},
        "/lpt1": {"get": {"operationId": "getLpt", "tags": ["LPT1"], "responses": ok}},
        "/con": {
            "get": {
                "operationId": "getCon",
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": ref}}}
                },
            }
        },
    }
    package = build_package(minimal_spec({"Con": item, "Nul": item}, paths))
    root = Path(str(package.__file__)).parent
    files = [p.relative_to(root) for p in root.rglob("*") if "__pycache__" not in p.parts]
    reserved = [p for p in files if PureWindowsPath(p).is_reserved()]
    assert not reserved, reserved
    assert {"aux_.py", "con_.py", "nul_.py"} <= {p.name for p in files}
    client = package.Client(base_url="https://api.example.test")
    assert callable(client.aux.retrieve) and package.models.Con.__name__ == "Con"
    assert package_name_problem("con") is not None and needs_title("con")
    assert package_name_problem("Lpt9") is not None and package_name_problem("console") is None


def test_a_field_called_raw_keeps_its_name(build_package: BuildPackage) -> None:
    """UX audit 18: Discourse's `POST /posts.json` requires `raw`, the post's text; the
    argument was `raw_` (a name methods no longer take: raw responses come from
    `with_raw_response`), and `posts.create(raw=…)` was a TypeError."""
    body = {"type": "object", "required": ["raw"], "properties": {"raw": {"type": "string"}}}
    paths = {
        "/posts": {
            "post": {
                "operationId": "createPost",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": body}},
                },
                "responses": {"204": {"description": "ok"}},
            }
        }
    }
    package = build_package(minimal_spec({}, paths))
    http, sent = recording()
    client = package.Client(base_url="https://api.example.test", http_client=http)
    client.posts.create(raw="hello")
    assert json.loads(sent[0].content) == {"raw": "hello"}
    assert client.posts.with_raw_response.create(raw="again").status_code == 204
