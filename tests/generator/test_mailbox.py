"""`format: email` is RFC 5321's `Mailbox` (`generator/runtime/_mailbox.py`), in linear time.

The vectors are JSON-Schema-Test-Suite's `tests/draft2020-12/optional/format/email.json`
(json-schema-org/JSON-Schema-Test-Suite), transcribed: the parity audit found 6 valid ones
refused (`test@io`, quoted local parts, IPv6 literals) and 27 invalid ones sent by the
check before (one `@`, a dot inside the domain, no white space).
"""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from generator.example_fit import Checker
from generator.runtime._mailbox import is_mailbox
from generator.runtime._scalars import EmailStr

VALID = [
    "joe.bloggs@example.com",
    "te~st@example.com",
    "~test@example.com",
    "test~@example.com",
    '"joe bloggs"@example.com',
    '"joe..bloggs"@example.com',
    '"joe@bloggs"@example.com',
    "joe.bloggs@[127.0.0.1]",
    "joe.bloggs@[IPv6:::1]",
    "te.s.t@example.com",
    "test@255.255.255.255",
    '""@iana.org',
    '" "@iana.org',
    "test@c--n.com",
    "test@123.com",
    '"test"@iana.org',
    '"\\a"@iana.org',
    '"\\""@iana.org',
    '"\\\\"@iana.org',
    "test@io",
    "a@[ipv6:::1]",
]
INVALID = [
    "2962",
    ".test@example.com",
    "test.@example.com",
    "te..st@example.com",
    "joe.bloggs@invalid=domain.com",
    "joe.bloggs@[127.0.0.300]",
    "user1@oceania.org, user2@oceania.org",
    '"Winston Smith" <winston.smith@recdep.minitrue> (Records Department)',
    "@example.com",
    "joe.bloggs@",
    "joe bloggs@example.com",
    "a\u00e9@iana.org",
    "a@\u00e9.org",
    "a\uff20iana.org",
    '"test\\\u00a9"@iana.org',
    "test@iana.org\n",
    "test@iana.org\r",
    "a@iana.org ",
    " a@iana.org",
    "a\tb@iana.org",
    "\u007f@iana.org",
    'test"@iana.org',
    '"test"test@iana.org',
    '"test@iana.org',
    "a@b@c.org",
    "test\\@test@iana.org",
    "[1.2.3.4]@iana.org",
    "",
    "test@-iana.org",
    "test@iana-.com",
    "test@.iana.org",
    "test@iana.org.",
    "test@iana..com",
    "test@[1.2.3.4",
    "a@[]",
    "a@[1.2.3]",
    "a@[1.2.3.4.5]",
    "test@[RFC-5322-domain-literal]",
    "test@a[255.255.255.255]",
    "a,b@iana.org",
    "a;b@iana.org",
    "a:b@iana.org",
    "test(comment)@iana.org",
    "a@b(c).org",
    # (beyond the suite: a zone index, a tag no registry holds, non-ASCII digits)
    "a@[IPv6:fe80::1%eth0]",
    "a@[x-tag:abc]",
    "a@[\u0661.2.3.4]",
]
ADAPTER: TypeAdapter[str] = TypeAdapter(EmailStr)


def _accepted(value: str) -> bool:
    try:
        ADAPTER.validate_python(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("value", VALID)
def test_a_valid_address_is_accepted(value: str) -> None:
    assert is_mailbox(value)
    assert _accepted(value)


@pytest.mark.parametrize("value", INVALID)
def test_an_invalid_address_is_refused(value: str) -> None:
    assert not is_mailbox(value)
    assert not _accepted(value)


@pytest.mark.parametrize(
    "value",
    [
        "a@" + "." * 1_000_000 + " ",  # (the first check's pattern took hours on this)
        "a" * 1_000_000 + ".@example.com",
        '"' + "a" * 1_000_000 + "@example.com",
        "a@" + "a" + "-" * 1_000_000,
        "a@" + "a." * 500_000,
        "a@[IPv6:" + "1:" * 500_000 + "]",
        "@" * 1_000_000,
    ],
    ids=["dots", "dot-string", "open-quote", "hyphens", "labels", "ipv6", "ats"],
)
def test_a_long_value_is_decided_in_linear_time(value: str) -> None:
    """A server may send a long value: every piece is matched once, none backtracks."""
    assert not _accepted(value)


def test_examples_fit_as_the_models_check_them() -> None:
    """An example is shown in the README only if the models accept it: the generator asks
    the runtime's own rule."""
    from generator import typeir as t
    from generator.typeir import S

    checker = Checker(())
    email = t.Named(S.EMAIL)
    assert checker.fits("test@io", email, sending=True)
    assert not checker.fits("te..st@example.com", email, sending=True)
