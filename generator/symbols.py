"""The library and runtime names generated code may import: one registry, `S`.

`typeir` re-exports both names: type nodes carry the symbols they need.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Symbol:
    """A name a generated module imports: `module` is absolute, or `.x` for `<package>.x`."""

    module: str
    name: str


class S:
    """Every symbol that generated model and operation code may import (one registry)."""

    ANY = Symbol("typing", "Any")
    TYPE_CHECKING = Symbol("typing", "TYPE_CHECKING")
    ANNOTATED = Symbol("typing", "Annotated")
    LITERAL = Symbol("typing", "Literal")
    UNION = Symbol("typing", "Union")
    TYPE_ALIAS = Symbol("typing", "TypeAlias")
    CLASS_VAR = Symbol("typing", "ClassVar")
    CAST = Symbol("typing", "cast")
    DEPRECATED = Symbol("typing_extensions", "deprecated")
    MAPPING = Symbol("collections.abc", "Mapping")
    SEQUENCE = Symbol("collections.abc", "Sequence")
    DATE = Symbol("._scalars", "Date")  # `datetime.date`, a full-date when sent
    TIME = Symbol("._scalars", "Time")  # `datetime.time`, a full-time (with offset) when sent
    UUID = Symbol("uuid", "UUID")
    FIELD = Symbol("pydantic", "Field")
    CONFIG_DICT = Symbol("pydantic", "ConfigDict")
    ROOT_MODEL = Symbol("pydantic", "RootModel")
    TAG = Symbol("pydantic", "Tag")
    DISCRIMINATOR = Symbol("pydantic", "Discriminator")
    STRICT = Symbol("pydantic", "Strict")
    ALIAS_CHOICES = Symbol("pydantic", "AliasChoices")
    API_MODEL = Symbol("._types", "ApiModel")
    API_ENUM = Symbol("._types", "ApiEnum")
    API_INT_ENUM = Symbol("._types", "ApiIntEnum")
    EMAIL = Symbol("._scalars", "EmailStr")
    DATE_TIME = Symbol("._scalars", "DateTime")
    NO_VALUE = Symbol("._scalars", "NoValue")
    INT32 = Symbol("._scalars", "Int32")
    INT64 = Symbol("._scalars", "Int64")
    SECRET = Symbol("._scalars", "SecretString")
    SECRET_PATTERN = Symbol("._scalars", "secret_pattern")
    PATTERN_CHECK = Symbol("._scalars", "pattern_check")
    UNIQUE_ITEMS = Symbol("._scalars", "unique_items")
    MULTIPLE_OF = Symbol("._scalars", "multiple_of")
    AS_GIVEN = Symbol("._scalars", "as_given")
    LITERAL_TYPES = Symbol("._scalars", "literal_types")
    DISCRIMINATE_BY = Symbol("._types", "discriminate_by")
    NOT_GIVEN = Symbol("._sentinels", "NOT_GIVEN")
    NOT_GIVEN_TYPE = Symbol("._sentinels", "NotGiven")
    CACHE = Symbol("functools", "cache")
    OPERATION_INFO = Symbol("._operation", "OperationInfo")
    RAW_RESPONSE = Symbol("._responses", "RawResponse")
    REQUEST_BODY = Symbol("._request_body", "request_body")
    SYNC_CLIENT = Symbol("._sync_client", "SyncAPIClient")
    ASYNC_CLIENT = Symbol("._async_client", "AsyncAPIClient")
    SYNC_RESOURCE = Symbol("._sync_client", "SyncAPIResource")
    ASYNC_RESOURCE = Symbol("._async_client", "AsyncAPIResource")
    TO_RAW = Symbol("._responses", "to_raw_response_wrapper")
    ASYNC_TO_RAW = Symbol("._responses", "async_to_raw_response_wrapper")
    CACHED_PROPERTY = Symbol("functools", "cached_property")
    OVERLOAD = Symbol("typing", "overload")
    SYNC_PAGE = Symbol("._pagination", "SyncPage")
    ASYNC_PAGE = Symbol("._pagination", "AsyncPage")
    POLLER = Symbol("._polling", "Poller")
    ASYNC_POLLER = Symbol("._polling", "AsyncPoller")
    PAGE_INFO = Symbol("._pagination", "PageInfo")
    BINARY_RESPONSE = Symbol("._binary", "BinaryResponse")
    ASYNC_BINARY_RESPONSE = Symbol("._binary", "AsyncBinaryResponse")
    FILE_INPUT = Symbol("._files", "FileInput")
    BINARY_CONTENT = Symbol("._files", "BinaryContent")
    STREAM = Symbol("._streams", "Stream")
    ASYNC_STREAM = Symbol("._streams", "AsyncStream")
    SERVER_SENT_EVENT = Symbol("._streams", "ServerSentEvent")
    WEBHOOK_INFO = Symbol("._webhooks", "WebhookInfo")
    PARSE_EVENT = Symbol("._webhooks", "parse_event")
    WEBHOOK_ERROR = Symbol(".errors", "WebhookError")
    WEBHOOK_VERIFICATION_ERROR = Symbol(".errors", "WebhookVerificationError")

    @classmethod
    def all(cls) -> tuple[Symbol, ...]:
        """Every registered symbol."""
        return tuple(v for v in vars(cls).values() if isinstance(v, Symbol))
