"""The names generated code already uses, which nothing the spec names may take: Python's
(keywords, builtins), pydantic's (`BaseModel` attributes), and the package's own (its modules'
exports, the clients' arguments and members, what a method's body reads). `naming` claims
names around them; tests keep each table in step with what it describes."""

from __future__ import annotations

from .symbols import S

# Attributes of pydantic.BaseModel (v2) that a field may not shadow; a test keeps this in
# step with `dir(pydantic.BaseModel)`.
PYDANTIC_RESERVED = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "to_dict",
        "to_json",
        "update_forward_refs",
        "validate",
        "register",
        # the metaclass's, read through the class: pydantic warns that a field `mro`
        # "shadows an attribute in parent" at every build (`-W error` failed; names audit 18)
        "mro",
    }
)
# Builtins that generated annotations use: a field of that name would shadow them in
# the class namespace that pydantic evaluates annotations in.
TYPE_BUILTINS = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "list",
        "dict",
        "set",
        "frozenset",
        "tuple",
        "object",
        "type",
    }
)
# Python 3.10's and 3.11's soft keywords, whatever the interpreter generating: the output may
# not depend on it (install audit: on 3.12, which made `type` one, every field and
# parameter `type` became `type_`, 177 of Stripe's, and `check` found the 3.11 package up to
# date). `type` stays a name, as Stripe's and OpenAI's SDKs have it: a soft keyword is a
# name wherever a name may stand.
SOFT_KEYWORDS = frozenset({"_", "case", "match"})
# a model class may not be called like a builtin (`RuntimeError`, `Warning`): an annotation
# naming it before its class is defined would resolve to the builtin, not the model. Every
# public builtin of Python 3.10-3.13 (`ExceptionGroup` from 3.11, `PythonFinalizationError`
# from 3.13), whatever the interpreter generating.
MODEL_RESERVED = frozenset(
    {
        "ArithmeticError",
        "AssertionError",
        "AttributeError",
        "BaseException",
        "BaseExceptionGroup",
        "BlockingIOError",
        "BrokenPipeError",
        "BufferError",
        "BytesWarning",
        "ChildProcessError",
        "ConnectionAbortedError",
        "ConnectionError",
        "ConnectionRefusedError",
        "ConnectionResetError",
        "DeprecationWarning",
        "EOFError",
        "Ellipsis",
        "EncodingWarning",
        "EnvironmentError",
        "Exception",
        "ExceptionGroup",
        "False",
        "FileExistsError",
        "FileNotFoundError",
        "FloatingPointError",
        "FutureWarning",
        "GeneratorExit",
        "IOError",
        "ImportError",
        "ImportWarning",
        "IndentationError",
        "IndexError",
        "InterruptedError",
        "IsADirectoryError",
        "KeyError",
        "KeyboardInterrupt",
        "LookupError",
        "MemoryError",
        "ModuleNotFoundError",
        "NameError",
        "None",
        "NotADirectoryError",
        "NotImplemented",
        "NotImplementedError",
        "OSError",
        "OverflowError",
        "PendingDeprecationWarning",
        "PermissionError",
        "ProcessLookupError",
        "PythonFinalizationError",
        "RecursionError",
        "ReferenceError",
        "ResourceWarning",
        "RuntimeError",
        "RuntimeWarning",
        "StopAsyncIteration",
        "StopIteration",
        "SyntaxError",
        "SyntaxWarning",
        "SystemError",
        "SystemExit",
        "TabError",
        "TimeoutError",
        "True",
        "TypeError",
        "UnboundLocalError",
        "UnicodeDecodeError",
        "UnicodeEncodeError",
        "UnicodeError",
        "UnicodeTranslateError",
        "UnicodeWarning",
        "UserWarning",
        "ValueError",
        "Warning",
        "ZeroDivisionError",
        "abs",
        "aiter",
        "all",
        "anext",
        "any",
        "ascii",
        "bin",
        "bool",
        "breakpoint",
        "bytearray",
        "bytes",
        "callable",
        "chr",
        "classmethod",
        "compile",
        "complex",
        "copyright",
        "credits",
        "delattr",
        "dict",
        "dir",
        "divmod",
        "enumerate",
        "eval",
        "exec",
        "exit",
        "filter",
        "float",
        "format",
        "frozenset",
        "getattr",
        "globals",
        "hasattr",
        "hash",
        "help",
        "hex",
        "id",
        "input",
        "int",
        "isinstance",
        "issubclass",
        "iter",
        "len",
        "license",
        "list",
        "locals",
        "map",
        "max",
        "memoryview",
        "min",
        "next",
        "object",
        "oct",
        "open",
        "ord",
        "pow",
        "print",
        "property",
        "quit",
        "range",
        "repr",
        "reversed",
        "round",
        "set",
        "setattr",
        "slice",
        "sorted",
        "staticmethod",
        "str",
        "sum",
        "super",
        "tuple",
        "type",
        "vars",
        "zip",
    }
)
ENUM_RESERVED = frozenset({"name", "value", "mro"})
# names pycodestyle finds ambiguous (`l` reads as `1`, `O` as `0`, `I` as `l`): ruff refuses
# them as variables, parameters, attributes (E741), classes (E742) and functions (E743)
AMBIGUOUS = frozenset({"l", "O", "I"})

# names the package's `__init__` and `_client` modules bind besides the client classes
PACKAGE_EXPORTS = frozenset(
    {
        "DEFAULT_BASE_URL",
        "NOT_GIVEN",
        "NotGiven",
        "RawResponse",
        "OAuth2ClientCredentials",
        "errors",
        "models",
        "annotations",
    }
)


# names the package's top-level modules (`__init__`, `_client`, `testing`, `_schemes`,
# `_oauth2`, `webhooks`) bind besides the client classes and resources: neither client class
# may take one (`APIClient` from the title `API` made its async twin the runtime's
# `AsyncAPIClient`); a test keeps this in step with the committed packages
CLIENT_MODULE_NAMES = PACKAGE_EXPORTS | frozenset(
    {
        "Any",
        "AsyncAPIClient",
        "AsyncBinaryResponse",
        "AsyncPage",
        "AsyncStream",
        "BaseMockAPI",
        "BasicCredential",
        "BinaryResponse",
        "ClientCredentials",
        "Credential",
        "DEFAULT_MAX_RESPONSE_SIZE",
        "DEFAULT_MAX_RETRIES",
        "DEFAULT_TIMEOUT",
        "DEFAULT_TOKEN_URL",
        "EventHooks",
        "FileInput",
        "Mapping",
        "MockAPI",
        "Route",
        "SCHEMES",
        "SECURITY",
        "SERVER_URL",
        "SERVER_VARIABLES",
        "SchemeInfo",
        "ServerSentEvent",
        "ServerVariable",
        "Stream",
        "SyncAPIClient",
        "SyncPage",
        "TYPE_CHECKING",
        "WEBHOOKS",
        "WebhookInfo",
    }
)

# ---- resources and their methods -----------------------------------------------------------
# Names the generated client classes define: operations may not take them.
CLIENT_RESERVED = frozenset(
    {
        "close",
        "aclose",
        "with_options",
        "with_raw_response",
        "base_url",
        "timeout",
        "max_retries",
        "request",
        "copy",
    }
)
# The clients' constructor arguments besides the credentials and the server variables,
# and the names their `__init__` reads: neither a credential nor a server variable takes one.
CLIENT_ARGUMENTS = frozenset(
    {
        "self",
        "base_url",
        "http_client",
        "event_hooks",
        "timeout",
        "max_retries",
        "default_headers",
        "max_response_size",
        "strict_response_validation",
        "os",
        "httpx",
        "super",
        "server_url",
    }
)
# The modules a resource module imports whole (`httpx.Timeout`, `builtins.list`).
RESOURCE_MODULES = ("httpx", "builtins")
# Module-level names every generated method reads besides its parameters: its body's
# `cast(…)`, `request_body(…)` and a page's `dict(…)`, and the modules its annotations use.
# A parameter of that name would shadow it inside the method; a test keeps this in step
# with what the committed packages' methods read. The names a method's `cast` target
# spells (`"list[date]"`, which mypy resolves in the method's own scope) are reserved for
# that operation only (`cast_target_names`): most operations keep a parameter `type`,
# `object` or `date` under its own name.
METHOD_GLOBALS = frozenset({S.CAST.name, S.REQUEST_BODY.name, "dict"}) | frozenset(RESOURCE_MODULES)
# Keyword arguments every generated method has besides the spec's parameters, and the
# names its body uses: a parameter taking one is renamed (`cast_`), its wire name kept.
SIGNATURE_RESERVED = (
    frozenset(
        {
            "self",
            "body",
            "extra_headers",
            "extra_query",
            "extra_body",
            "timeout",
            "idempotency_key",
        }
    )
    | METHOD_GLOBALS
)

# Lower-case names the client and resource modules bind (imports, helpers) that their class
# bodies read: decorators (`cached_property`, `overload`) and the annotations mypy resolves in
# the class's scope (`httpx.Timeout`, `date`). A member of that name would shadow them for
# every member after it (a tag `cached_property` made the package fail to import).
CLASS_BODY_GLOBALS = (
    frozenset(s.name for s in S.all() if s.name[:1].islower())
    | frozenset(RESOURCE_MODULES)
    | frozenset({"annotations", "os"})
)
# Public members of the generated clients (and of the runtime's client classes) that no
# resource attribute may shadow; `get`…`delete` are kept for calls to undocumented
# endpoints. A test keeps this in step with the runtime classes.
CLIENT_MEMBERS = frozenset(
    {
        "aclose",
        "base_url",
        "close",
        "copy",
        "delete",
        "get",
        "max_response_size",
        "max_retries",
        "patch",
        "post",
        "put",
        "request",
        "strict_response_validation",
        "timeout",
        "with_options",
        "with_raw_response",
    }
)
# Public members of a generated resource class: its methods and sub-resources may not take them.
RESOURCE_MEMBERS = frozenset({"with_raw_response"})


# names Windows keeps for devices, with any extension and in any case (`aux.py`, `con/`): no
# file or folder can have one there, so a checkout or `pip install` of the package fails
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}
)
