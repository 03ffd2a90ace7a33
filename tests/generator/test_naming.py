"""Names are decided once: valid, unique, stable identifiers for any spec name."""

from __future__ import annotations

import keyword

import pytest
from pydantic import BaseModel

from generator.naming import PYDANTIC_RESERVED, NameScope, Style, field_scope, package_name, styled


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
    public = {n for n in dir(BaseModel) if not n.startswith("_")}
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
