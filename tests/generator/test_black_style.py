"""The renderer writes black's style itself: layouts, literals and the skip rule agree with black."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from generator import layout, type_layout
from generator import typeir as t
from generator.black_skip import LINE_LENGTH, needs_black
from generator.format import format_files, format_source, split_blocks
from generator.literals import number_literal, string_literal
from generator.typeir import S, Symbol

LENGTHS = [1, 20, 40, 60, 70, 75, 80, 85, 90, 95, 100, 110, 130]


def _name(length: int, stem: str = "N") -> str:
    return (stem + "x" * length)[:length] if length > 1 else stem


def _assert_black_keeps(source: str) -> None:
    assert format_source(source) == source


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("count", [1, 2, 5])
def test_from_import_is_black_style(length: int, count: int) -> None:
    names = [_name(length, f"N{i}") for i in range(count)]
    text = layout.from_import(".m" + "o" * (length // 3), names) + "\n"
    _assert_black_keeps(text)
    indented = "if X:\n" + layout.from_import(".m", names, 4) + "\n"
    _assert_black_keeps(indented)


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("count", [1, 3, 12])
def test_sequence_and_class_header_are_black_style(length: int, count: int) -> None:
    items = [f'"{_name(length, "s")}"' for _ in range(count)]
    _assert_black_keeps(layout.sequence("__all__ = ", items) + "\n")
    entry = layout.sequence('"200": ', items[:2], 8, "()", ",")
    _assert_black_keeps("X = {\n    1: {\n" + entry + "\n    },\n}\n")
    bases = [_name(length, f"B{i}") for i in range(count)]
    header = layout.class_header(_name(length, "C"), bases)
    _assert_black_keeps(header + "\n    pass\n")


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("count", [1, 2, 4, 9])
def test_frozenset_class_variable_is_black_style(length: int, count: int) -> None:
    items = [f'"{_name(length // 3 + 1, "f")}{i}"' for i in range(count)]
    line = layout.frozenset_of("_nullable: ClassVar[frozenset[str]] = ", items)
    _assert_black_keeps("class A:\n" + line + "\n")


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("shape", [(1,), (4,), (2, 2, 2), (4,) * 6, (1, 1), (0,)])
def test_tuple_rows_are_black_style(length: int, shape: tuple[int, ...]) -> None:
    rows = [[f'"{_name(length // 2 + 1, "v")}{i}"' for i in range(size)] for size in shape]
    rows = [[*row, "False"] for row in rows]
    entry = layout.tuple_rows("styles=", rows, 8, ",")
    _assert_black_keeps("X = f(\n    g(\n        1,\n" + entry + "\n    ),\n)\n")


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("count", [1, 2, 4])
def test_class_variable_rows_are_black_style(length: int, count: int) -> None:
    """`_required_one_of: ClassVar[…] = (("a",), ("b", "c"))` as the model template writes it."""
    rows = [[f'"{_name(length // 2 + 1, "f")}{i}"'] * (1 + i % 2) for i in range(count)]
    head = "_required_one_of: ClassVar[tuple[tuple[str, ...], ...]] = "
    source = "class A:\n" + layout.tuple_rows(head, rows, 4, "") + "\n"
    assert not needs_black(source)
    _assert_black_keeps(source)


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("count", [1, 2, 5])
def test_a_base_url_from_server_variables_is_black_style(length: int, count: int) -> None:
    """The client's `base_url = os.environ.get("…") or server_url(…, {variables})` (a spec
    with server variables: aBILLity's `host`), split at the last call's bracket as black
    splits it; a shape left on one line is black's."""
    variable = f'os.environ.get("{_name(length, "P")}_BASE_URL")'
    given = ", ".join(f'"{_name(length // 4 + 1, "v")}{i}": v{i}' for i in range(count))
    arguments = f"SERVER_URL, SERVER_VARIABLES, {{{given}}}"
    text = layout.or_call("base_url", variable, "server_url", arguments, 12)
    source = "class A:\n    def f(self) -> None:\n        if x:\n" + text + "\n"
    if length <= 30 and count <= 2 and len(f"{variable} or server_url({arguments})") > 77:
        assert "\n" in text  # laid out, not left to black
    if not needs_black(source):
        _assert_black_keeps(source)


@pytest.mark.parametrize("length", LENGTHS)
def test_a_long_extra_fields_line_needs_no_black(length: int) -> None:
    """A model's `__pydantic_extra__` line however long: black keeps a one-line statement
    whose last bracket carries a `type: ignore` comment, and the skip rule knows it."""
    values = [f'"{_name(9, "v")}{i}"' for i in range(length // 10 + 1)]
    kind = f"Literal[{', '.join(values)}]"
    line = f"    __pydantic_extra__: dict[str, {kind}] = Field(init=False)"
    source = f"class A:\n    x: int\n{line}  # type: ignore[assignment, unused-ignore]\n"
    assert not needs_black(source)
    _assert_black_keeps(source)


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("parameters", [[], ["self"], ["self", "x: int"]])
def test_def_headers_are_black_style(length: int, parameters: list[str]) -> None:
    returns = _name(length, "R")
    top = layout.def_header(_name(length, "_op_"), parameters, returns)
    _assert_black_keeps(top + "\n    return 1\n")
    member = layout.def_header(_name(length, "m"), parameters, returns, 4)
    _assert_black_keeps("class A:\n    @cached_property\n" + member + "\n        return 1\n")


_SCALARS = st.one_of(
    st.text(alphabet="ab'\"\\ ", max_size=60),
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.none(),
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=5).map(tuple),
        st.dictionaries(st.text(alphabet="kx_-", min_size=1, max_size=30), inner, max_size=5),
    ),
    max_leaves=25,
)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(value=_DATA, indent=st.sampled_from([4, 8]))
def test_data_literals_are_black_style(value: object, indent: int) -> None:
    """Spec data (an operation's encodings, say) is laid out as black lays out the literal, so
    the statement holding it needs no formatting pass however long it is."""
    text = layout.data("encodings=", value, indent, ",")
    event("split" if "\n" in text else "one line")
    if indent == 8:
        source = "X = f(\n    g(\n        1,\n" + text + "\n    ),\n)\n"
    else:
        source = "X = f(\n" + text + "\n)\n"
    _assert_black_keeps(source)
    assert eval(text.strip().removeprefix("encodings=").removesuffix(",")) == value


@pytest.mark.parametrize("length", LENGTHS)
def test_single_argument_call_is_black_style(length: int) -> None:
    call = layout.call("re.compile", [f'"{_name(length, "p")}"'], 8, ",")
    _assert_black_keeps('X = (\n    f(\n        "name",\n' + call + "\n        1,\n    ),\n)\n")


@pytest.mark.parametrize(
    "text",
    ["plain", "it's", 'say "hi"', "both ' and \"", "\x00\x1b\u2028 é 中", "back\\slash", ""],
)
def test_string_literals_are_black_style(text: str) -> None:
    literal = string_literal(text)
    assert eval(literal) == text  # an inert literal holding exactly the text
    _assert_black_keeps(f"X = {literal}\n")


@pytest.mark.parametrize("value", [0, -3, 10**30, 0.1, 5.0, 1e20, -1.5e-7, 1e-300, 2.5e300])
def test_number_literals_are_black_style(value: float) -> None:
    literal = number_literal(value)
    assert eval(literal) == value
    _assert_black_keeps(f"X = {literal}\n")


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_number_literals_are_spelled_as_black_spells_them(value: float) -> None:
    from black.numerics import format_float_or_int_string, format_scientific_notation

    text = repr(value)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    spelled = format_scientific_notation if "e" in digits else format_float_or_int_string
    assert number_literal(value) == sign + spelled(digits)
    assert eval(number_literal(value)) == value


def test_non_finite_numbers_have_a_spelling() -> None:
    assert number_literal(float("inf")) == 'float("inf")'
    assert number_literal(float("-inf")) == 'float("-inf")'


def test_needs_black_sees_what_black_would_change() -> None:
    short = 'X = "a"\n'
    assert not needs_black(short)
    long_code = "X = f(" + ", ".join(["argument"] * 12) + ")\n"
    assert needs_black(long_code)
    long_docstring = 'def f() -> None:\n    """' + "word " * 30 + 'end."""\n'
    assert not needs_black(long_docstring)
    long_atom = "X = [\n    " + '"' + "s" * 120 + '",\n]\n'
    assert not needs_black(long_atom)
    assert needs_black("X = 1 \n")  # trailing whitespace
    assert needs_black("X = 1\t# tab\n")
    # a string holding triple quotes is code, not a docstring: its length counts
    hostile = 'X = \'"""' + "y" * 120 + "'\n"
    assert needs_black(hostile)
    wide = 'X = ("' + "中" * 48 + '", 1)\n'  # 48 wide characters are 96 columns
    assert needs_black(wide)


def _needs_black_line_by_line(source: str) -> bool:
    """The rule `needs_black` implements, walking every line (the specification)."""
    from generator.black_skip import (
        _SUSPECT_LINE,
        _docstring_state_after,
        _line_needs_black,
        _vouched_call,
    )

    if not _SUSPECT_LINE.search(source):
        return False  # no line too wide, no tab, no trailing space
    inside = False
    lines = source.split("\n")
    for index, line in enumerate(lines):
        if _line_needs_black(line, inside) and not _vouched_call(lines, index):
            return True
        inside = _docstring_state_after(line, inside)
    return inside


_LONG_CALL_PIECES = ["return C" + "c" * 95 + "(", "self." + "s" * 90 + " = w(", "    raw.r", ")"]
_PIECES = st.sampled_from(
    [
        '"""',
        "'''",
        " ",
        "\t",
        "\n",
        "    ",
        "#",
        "x",
        "X = ",
        "中",
        "é",
        '"s"',
        "y" * 60,
        "z" * 101,
        *_LONG_CALL_PIECES,
    ]
)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.lists(st.lists(_PIECES, max_size=6).map("".join), max_size=12).map("\n".join))
def test_needs_black_agrees_with_walking_every_line(source: str) -> None:
    """`needs_black` walks only long lines and lines with three quotes (every line when a
    tab or a trailing space is somewhere): the same answer as walking every line."""
    assert needs_black(source) == _needs_black_line_by_line(source)


@pytest.mark.parametrize(
    "source",
    [
        "X = f(\n    g(\n        {name}(),\n    ),\n)\n",
        "def {name}() -> (\n    OperationInfo\n):\n    return 1\n",
        "class A:\n    async def {name}(\n        self,\n        x: int,\n    ) -> None:\n        pass\n",
    ],
)
def test_lines_black_cannot_split_need_no_black(source: str) -> None:
    text = source.format(name="_op_" + "x" * 110)
    assert not needs_black(text)
    _assert_black_keeps(text)


def test_a_long_return_of_a_call_needs_black() -> None:
    assert needs_black("def f():\n    return " + "X" * 100 + "(self)\n")


ANNOTATIONS = {
    "plain": "A{}",
    "brackets": "list[A{}]",
    "union": "A{} | None",
    "bracketed union": "list[A{}] | None",
    "annotated union": "Annotated[A{}, Field(max_length=4)] | None",
    "multi union": "list[Annotated[str, Field(max_length=5000)]] | A{} | Bxxxxxxxxxxxxxxxx | None",
    "annotated": 'Annotated[str, Field(pattern="{}")]',
}
FIELD_ARGUMENTS = [  # a `Field(...)` value's arguments, as the IR's `Call` renders them
    ["default=None", 'alias="type"'],
    ['default="' + "v" * 30 + '"'],
    ["default=Foo.BAR", 'alias="x' + "y" * 40 + '"'],
    ['alias="' + "z" * 70 + '"'],
    ['default=("a",)', 'alias="b"'],
]
ARGUMENTS = {f"Field({', '.join(arguments)})": arguments for arguments in FIELD_ARGUMENTS}
VALUES = [None, "None", *ARGUMENTS, '"' + "s" * 60 + '"']


def _members(annotation: str) -> list[str] | None:
    """The members of a test annotation that is a top-level union (test data, bracket-aware)."""
    parts, depth, current = [], 0, ""
    for char in annotation:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts if len(parts) > 1 else None


@pytest.mark.parametrize("kind", sorted(ANNOTATIONS))
@pytest.mark.parametrize("value", VALUES)
def test_model_fields_are_black_style(kind: str, value: str | None) -> None:
    for target_length in (1, 20, 45):
        for annotation_length in range(20, 101, 4):
            annotation = ANNOTATIONS[kind].format("x" * annotation_length)
            line = layout.annotated(
                "n" + "x" * target_length,
                annotation,
                value,
                members=_members(annotation),
                arguments=ARGUMENTS.get(value or ""),
            )
            source = "class C(B):\n" + line + "\n"
            if needs_black(source):
                continue  # left on one line: black formats it
            _assert_black_keeps(source)


@pytest.mark.parametrize("kind", ["plain", "union", "bracketed union", "annotated union"])
@pytest.mark.parametrize("target_length", [30, 50, 70])
def test_a_field_call_after_a_long_annotation_needs_no_black(kind: str, target_length: int) -> None:
    """Microsoft Graph's `x: Annotated[int, Field(ge=…)] | None = Field(default=None, alias=…)`:
    when neither `… = Field(` nor `… = (` fits, black parenthesises the annotation, and so
    does the renderer (these fields were most of what Graph's models sent to black)."""
    arguments = ["default=None", 'alias="' + "a" * 24 + '"']
    value = f"Field({', '.join(arguments)})"
    target = "n" + "x" * target_length
    laid_out = 0
    for annotation_length in range(10, 85, 3):
        annotation = ANNOTATIONS[kind].format("x" * annotation_length)
        if len(f"    {target}: {annotation} = (") <= 100 or 8 + len(annotation) > 100:
            continue
        line = layout.annotated(
            target, annotation, value, members=_members(annotation), arguments=arguments
        )
        assert line == f"    {target}: (\n        {annotation}\n    ) = {value}"
        source = "class C(B):\n" + line + "\n"
        assert not needs_black(source)
        _assert_black_keeps(source)
        laid_out += 1
    assert laid_out


def test_split_blocks_gives_back_the_module_and_keeps_docstrings_whole() -> None:
    source = (
        '"""Module.\n\nclass NotCode:\n"""\n\nimport os\n\n\n@decorator\n'
        "class A(\n    B\n):\n    x = 1\n\n    def f(self) -> None:\n        pass\n"
        "\n\n# a comment\nY = [\n    1,\n]\n"
    )
    blocks = split_blocks(source)
    assert "".join(code + blank for code, blank in blocks) == source
    assert [code.split("\n", 1)[0] for code, _ in blocks] == [
        '"""Module.',
        "import os",
        "@decorator",
        "# a comment",
    ]


def test_string_literal_shortcut_matches_black_on_random_text() -> None:
    """string_literal spells every string exactly as black's quote normaliser would."""
    import random

    from black.strings import normalize_string_quotes

    alphabet = ["a", '"', "'", "\\", "\n", "é", "\x00", "\u2028", " ", "`"]
    rng = random.Random(3)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert string_literal(text) == normalize_string_quotes(repr(text)), repr(text)


UNIONS = [
    "A{}",
    "A{} | None",
    "A{} | Bxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | None",
    "list[A{}] | None",
    "list[Annotated[str, Field(max_length=5000)]] | A{} | None",
    "Annotated[float, Strict()] | A{} | None",
    "dict[str, str] | A{} | Bxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | None",
]


@pytest.mark.parametrize("annotation", UNIONS)
@pytest.mark.parametrize("default", [None, "None", '"text"', "1", '"' + "y" * 100 + '"'])
def test_parameters_and_enum_members_are_black_style(annotation: str, default: str | None) -> None:
    for name_length in (1, 30):
        for annotation_length in range(30, 131, 5):
            hint = annotation.format("x" * annotation_length)
            name = "n" + "x" * name_length
            line = layout.parameter(name, hint, default, members=_members(hint))
            source = (
                f"class C:\n    def f(\n        self,\n        *,\n{line}\n"
                "    ) -> None:\n        pass\n"
            )
            if not needs_black(source):
                _assert_black_keeps(source)
            field = layout.annotated(name, hint, default, members=_members(hint))
            source = "class C(B):\n" + field + "\n"
            if not needs_black(source):
                _assert_black_keeps(source)
            member = layout.assignment(name.upper(), '"' + "v" * annotation_length + '"')
            source = "class E(Enum):\n" + member + "\n"
            if not needs_black(source):
                _assert_black_keeps(source)


class _Names:
    def symbol(self, symbol: Symbol) -> str:
        return symbol.name

    def model(self, name: str) -> str:
        return name

    def builtin(self, name: str) -> str:
        return name


_leaf_types = st.one_of(
    st.sampled_from([t.STR, t.INT, t.BOOL, t.NONE, t.ANY]),
    st.from_regex(r"[A-Z][A-Za-z]{2,60}", fullmatch=True).map(t.ModelRef),
)
_constraint = st.one_of(
    st.tuples(st.just("pattern"), st.text("ab[](),|\\\"' ", min_size=10, max_size=90)),
    st.tuples(st.sampled_from(["min_length", "max_length", "ge"]), st.integers(0, 10**6)),
)


def _extend(children: st.SearchStrategy[t.TypeNode]) -> st.SearchStrategy[t.TypeNode]:
    return st.one_of(
        st.builds(lambda a: t.Generic("list", (a,)), children),
        st.builds(lambda k, v: t.Generic("dict", (k, v)), st.just(t.STR), children),
        st.builds(
            lambda base, kwargs: t.annotated(base, t.Call(S.FIELD, kwargs=tuple(kwargs))),
            children,
            st.lists(_constraint, min_size=1, max_size=3, unique_by=lambda kv: kv[0]),
        ),
        st.builds(
            lambda base, checks: t.annotated(base, t.Call(S.PATTERN_CHECK, tuple(checks))),
            children,
            st.lists(st.tuples(st.booleans(), st.text("ab[]()|\\", max_size=130)), min_size=1),
        ),
        st.lists(children, min_size=2, max_size=4).map(t.union),
        st.lists(st.text("xyz]|", min_size=1, max_size=40), min_size=1, max_size=4).map(
            lambda values: t.LiteralType(tuple(dict.fromkeys(values)))
        ),
    )


_types = st.recursive(_leaf_types, _extend, max_leaves=8)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    node=_types,
    name_length=st.integers(10, 70),
    context=st.sampled_from(
        [
            "alias",
            "field",
            "parameter",
            "checks",
            "keyword",
            "optional",
            "argument",
            "response",
            "returns",
        ]
    ),
)
def test_long_annotations_are_laid_out_as_black_writes_them(
    node: t.TypeNode, name_length: int, context: str
) -> None:
    from generator.render_resources import _line

    name = _name(name_length, "a")
    if context in ("keyword", "optional"):  # a method's keyword parameter (`_line`)
        default = "NOT_GIVEN" if context == "optional" else None
        text = _line(_Names(), name, node, default)  # type: ignore[arg-type]
        source = "class A:\n    def f(\n        self,\n        *,\n" + text
        source += "\n    ) -> None:\n        pass\n"
    elif context == "alias":
        text = type_layout.statement(f"{name}: TypeAlias = ", node, _Names(), 0)
        source = text + "\n"
    elif context == "field":
        text = type_layout.enclosed(f"{name}: ", node, _Names(), 4, "")
        source = "class A:\n" + text + "\n"
    elif context == "checks":
        entries = [(['"query"', f'"{name}"'], node), (['"path"', '"id"'], t.STR)][: name_length % 3]
        text = type_layout.tuple_entries("parameters=", entries or [([], node)], _Names())
        source = "def f() -> None:\n    return OperationInfo(\n" + text + "\n    )\n"
    elif context == "argument":  # `body_type=…,` of an OperationInfo
        text = type_layout.enclosed(f"{name[:30]}=", node, _Names(), 8, ",")
        source = "def f() -> None:\n    return OperationInfo(\n" + text + "\n    )\n"
    elif context == "response":  # `"200": ("json", …),` of its responses
        text = type_layout.tuple_item(f'"{name[:3]}": ', ['"json"'], node, _Names(), 12)
        source = "def f() -> None:\n    return OperationInfo(\n        responses={\n"
        source += text + "\n        },\n    )\n"
    elif context == "returns":  # a method's `) -> …:` line
        from generator.render_resources import _returns

        text = _returns(node, _Names())  # type: ignore[arg-type]
        source = f"class A:\n    def {name}(\n        self,\n        *,\n" + text
        source += "\n        pass\n"
    else:
        text = type_layout.statement(f"{name}: ", node, _Names(), 8, ",")
        source = "class A:\n    def f(\n        self,\n        *,\n" + text
        source += "\n    ) -> None:\n        pass\n"
    lines = text.split("\n")
    assume(not needs_black(source))  # what is left to black: the pipeline formats it
    event("split" if len(lines) > 1 else "one line")
    _assert_black_keeps(source)


def test_a_long_union_parameter_is_laid_out_member_by_member() -> None:
    """Microsoft Graph's `setting_states: list[X | dict[str, Any] | None] | NotGiven =
    NOT_GIVEN,`: black parenthesises the union, puts a member a line and splits the long
    `list[...]` member at its brackets; the renderer writes the same."""
    from generator.render_resources import _line

    item = t.ModelRef("MicrosoftGraphManagedDeviceMobileAppConfigurationSettingState")
    node = t.union(
        [
            t.Generic("list", (t.union([item, t.Generic("dict", (t.STR, t.ANY)), t.NONE]),)),
            t.ModelRef("NotGiven"),
        ]
    )
    text = _line(_Names(), "setting_states", node, "NOT_GIVEN")  # type: ignore[arg-type]
    assert text.count("\n") == 7
    source = "class A:\n    def f(\n        self,\n        *,\n" + text
    source += "\n    ) -> None:\n        pass\n"
    assert not needs_black(source)
    _assert_black_keeps(source)


@pytest.mark.parametrize("prefix", ["r = ", "microsoft_graph_application = ", "r = await ", ""])
@pytest.mark.parametrize("count", [1, 2, 4, 7])
def test_readme_calls_split_at_their_bracket_are_black_style(prefix: str, count: int) -> None:
    """A README's `variable = client.<resource>.<method>("a", "b")` too long for its line
    (Microsoft Graph's README holds hundreds): split at the call's bracket by `layout.call`
    (`Readme.laid_out_call`), which black keeps, so the formatter skips it."""
    indent = 4 if "await" in prefix else 0
    for callee_length in range(30, 100, 7):
        callee = ("client.abc.defgh." + "x" * callee_length)[: 7 + callee_length]
        for argument_length in (3, 12, 30, 95):
            arguments = ['"' + "s" * argument_length + '"'] * count
            if indent + len(prefix + callee) + 1 > 100:
                continue
            text = layout.call(prefix + callee, arguments, indent) + "\n"
            source = "async def f():\n" + text if indent else text
            _assert_black_keeps(source)
            assert not needs_black(source) or max(map(len, text.split("\n"))) > 100


@pytest.mark.parametrize("length", range(60, 131, 1))
@pytest.mark.parametrize("wrapper", ["to_raw_response_wrapper", "async_to_raw_response_wrapper"])
def test_raw_twin_assignments_are_black_style(length: int, wrapper: str) -> None:
    """`self.NAME = wrapper(raw.NAME)` of a resource's raw view: Microsoft Graph's operation
    names run to 90 characters, where black wraps the call in parentheses only while the
    argument then fits."""
    from generator.render_resources import _raw_assignment

    line = _raw_assignment(_name(length, "m"), wrapper)
    _assert_black_keeps(
        "class _:\n    def __init__(self) -> None:\n        raw = 1\n" + line + "\n"
    )


def test_a_keyword_argument_naming_an_attribute_needs_no_black_however_long() -> None:
    """The test kit's routes pass `page=_module._page_function`: black cannot split it."""
    line = "        page=_users_calendar_group._page_" + "x" * 90 + ","
    source = 'X = (\n    Route(\n        "a",\n' + line + "\n    ),\n)\n"
    _assert_black_keeps(source)
    assert not needs_black(source)


def _long_method(between: str = "", asynchronous: bool = False) -> str:
    """A class of 70 lines whose method has one statement black must split."""
    lines = [f"        self.name_{i} = wrap(raw.name_{i})\n" for i in range(70)]
    lines[35] = "        self.long = wrap(" + ", ".join(f"argument_{i}" for i in range(12)) + ")\n"
    lines.insert(50, between)
    head = (
        "    async def __init__(self) -> None:\n" if asynchronous else "    def __init__(self):\n"
    )
    return "class Raw:\n    x: int\n\n" + head + "".join(lines)


@pytest.mark.parametrize("between", ["", "\n", "        # a comment\n"])
@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_long_method_is_formatted_statement_by_statement_as_black_formats_it_whole(
    between: str, asynchronous: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Microsoft Graph's raw views have `__init__`s of 2,000 lines: black sees only the
    statements that need it (wrapped in a stand-in method), or, with comments or blank
    lines between statements, the whole method; either way the file is black's."""
    monkeypatch.setenv("BILLING_SDKGEN_CACHE", str(tmp_path))
    source = _long_method(between, asynchronous)
    assert format_files({"m.py": source}, parallel=False)["m.py"] == format_source(source)


@pytest.mark.parametrize("between", ["", "# a comment\n", "\n"])
def test_readme_snippets_are_formatted_statement_by_statement(
    between: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BILLING_SDKGEN_CACHE", str(tmp_path))
    long_call = "result = client.things.create(" + ", ".join(f'"v{i}"' for i in range(14)) + ")\n"
    snippet = "thing = client.things.get()\n" + between + long_call + "for x in y:\n    print(x)\n"
    document = f"# Title\n\n```python\n{snippet}```\n\ntext\n"
    formatted = format_files({"README.md": document}, parallel=False)["README.md"]
    assert formatted == f"# Title\n\n```python\n{format_source(snippet)}```\n\ntext\n"


@pytest.mark.parametrize("kind", ["return", "assignment", "async assignment"])
@pytest.mark.parametrize("length", range(1, 125, 3))
def test_prefixed_call_is_black_style(kind: str, length: int) -> None:
    """`return Callee(arg)` and `self.name = wrapper(raw.arg)` (resources and raw views),
    over callee, target and argument lengths around every split black chooses."""
    for argument_length in (1, 12, 40, 70, 84, 90) if kind != "return" else (1,):
        if kind == "return":
            text = layout.prefixed_call("return ", "C" * length, ["self._client"], 8)
        else:
            wrapper = (
                "async_to_raw_response_wrapper" if "async" in kind else "to_raw_response_wrapper"
            )
            argument = f"raw.{'n' * argument_length}"
            text = layout.prefixed_call(f"self.{'m' * length} = ", wrapper, [argument], 8)
        _assert_black_keeps("class C:\n    def f(self):\n" + text + "\n")


_ENCLOSING = {0: "", 4: "def f(self):\n", 8: "class C:\n    def f(self):\n"}


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.sampled_from(["return ", "x = ", "self.m = "]),
    st.integers(0, 110),
    st.integers(1, 60),
    st.integers(1, 110),
    st.sampled_from([0, 4, 8]),
)
def test_a_call_split_at_its_bracket_needs_no_black_only_where_black_keeps_it(
    prefix: str, target: int, callee: int, argument: int, indent: int
) -> None:
    """`needs_black` vouches for `prefix callee(` / `argument` / `)` however long its lines
    only where black keeps it: any lengths, not only those the renderer writes."""
    pad = " " * indent
    head = prefix.replace("m", "m" * (target + 1)) + "c" * callee
    argument_text = "raw." + "a" * argument
    # the renderer splits only what does not fit on one line (shorter lines are trusted)
    assume((indent or prefix != "return ") and len(f"{pad}{head}({argument_text})") > 100)
    source = _ENCLOSING[indent] + f"{pad}{head}(\n{pad}    {argument_text}\n{pad})\n"
    event(f"needs black: {needs_black(source)}")
    if not needs_black(source):
        _assert_black_keeps(source)


def test_a_raw_view_assignment_black_keeps_needs_no_black() -> None:
    """Microsoft Graph's raw views: a head and an argument both too long, which black keeps."""
    name = "identity_governance_access_reviews_definitions_instances_decisions_instance_get_stages"
    text = layout.prefixed_call(f"self.{name} = ", "to_raw_response_wrapper", [f"raw.{name}"], 8)
    assert text.count("\n") == 2 and max(len(line) for line in text.split("\n")) > 100
    source = _ENCLOSING[8] + text + "\n"
    assert not needs_black(source)
    _assert_black_keeps(source)
    assert needs_black(source.replace("raw.", "raw ."))  # not the layout: black decides


_CLASSES = {0: "", 4: "class C:\n", 8: "class C:\n    class D:\n"}


@pytest.mark.parametrize("indent", [0, 4, 8])
@pytest.mark.parametrize("parameters", [["self"], ["self", "x: int"]])
def test_a_long_return_annotation_needs_black_only_where_black_changes_it(
    indent: int, parameters: list[str]
) -> None:
    """`) -> Name:`: black parenthesises `Name` while it fits on a line of its own, and keeps
    the line however long after that; `layout.def_header` and `needs_black` agree with it."""
    pad = " " * indent
    kept = 0
    for length in range(70, 131):
        name = "R" * length
        exploded = "".join(f"{pad}    {parameter},\n" for parameter in parameters)
        source = _CLASSES[indent] + f"{pad}def f(\n{exploded}{pad}) -> {name}:\n{pad}    pass\n"
        if not needs_black(source):
            _assert_black_keeps(source)
            kept += len(f"{pad}) -> {name}:") > 100
        header = layout.def_header("f", parameters, name, indent)
        _assert_black_keeps(_CLASSES[indent] + f"{header}\n{pad}    pass\n")
    assert kept


@pytest.mark.parametrize(
    "source", ["class {name}:\n    pass\n", "def f(\n    x: {name},\n) -> None:\n    pass\n"]
)
def test_names_black_cannot_split_need_no_black(source: str) -> None:
    text = source.format(name="N" * 110)
    assert not needs_black(text)
    _assert_black_keeps(text)


def test_a_class_variable_annotated_with_a_long_name_needs_black() -> None:
    """Black parenthesises it (`x: (` … `)`): unlike a parameter, it can be split."""
    assert needs_black("class C:\n    x: " + "N" * 110 + "\n")


def test_black_counts_two_columns_at_most_and_only_from_the_first_wide_character() -> None:
    from black._width_table import WIDTH_TABLE
    from black.strings import str_width

    from generator.black_skip import _FIRST_WIDE, _too_wide

    assert all(start >= ord(_FIRST_WIDE) and width == 2 for start, _, width in WIDTH_TABLE)
    narrow = "".join(chr(c) for c in range(32, ord(_FIRST_WIDE)) if chr(c).isprintable())
    assert str_width(narrow) == len(narrow)
    for length in range(LINE_LENGTH - 12, LINE_LENGTH + 3):
        for filler in ("x", "…", "中", "é"):
            line = "y = '" + filler * (length - 6) + "'"
            assert _too_wide(line) == (str_width(line) > LINE_LENGTH), line


def test_blacks_version_is_read_without_importing_black(monkeypatch: pytest.MonkeyPatch) -> None:
    """The format cache is keyed by black's version, read before black is imported (a run
    whose statements are all in the cache never imports it)."""
    from importlib.metadata import version

    from generator import format as formatting

    monkeypatch.delitem(sys.modules, "black", raising=False)
    assert formatting._black_version.__wrapped__() == version("black")
    assert "black" not in sys.modules


_CALL_PREFIXES = ["", "result = ", "r = await ", "raw = ", "return ", "with ", "async with "]
_CALL_PREFIXES += ["async with await ", "for item in ", "async for item in "]
_CALL_CONTEXTS = {0: "", 4: "try:\n", 8: "async def f():\n    async with c as client:\n"}


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    prefix=st.sampled_from(_CALL_PREFIXES),
    callee_length=st.integers(1, 95),
    positional=st.lists(_DATA, max_size=3),
    keywords=st.lists(st.tuples(st.text("abc_", min_size=1, max_size=25), _DATA), max_size=5),
    indent=st.sampled_from(sorted(_CALL_CONTEXTS)),
)
def test_calls_with_data_arguments_are_black_style(
    prefix: str,
    callee_length: int,
    positional: list[object],
    keywords: list[tuple[str, object]],
    indent: int,
) -> None:
    """The README's calls, whose arguments are spec examples (objects within objects): laid
    out as black lays them out, so a README needs no formatting pass; None where black
    may choose otherwise."""
    if ("await" in prefix or prefix.startswith("async")) and indent != 8:
        return
    callee = ("client.things." + "m" * callee_length)[: 14 + callee_length]
    arguments = [("", value) for value in positional]
    arguments += [(f"{name.strip('_') or 'x'}_{i}=", v) for i, (name, v) in enumerate(keywords)]
    tail = " as response:" if "with" in prefix else ":" if "for" in prefix else ""
    text = layout.data_call(prefix + callee, arguments, indent, tail)
    event("none" if text is None else "split" if "\n" in text else "one line")
    if text is None:
        return
    if tail:
        text += "\n" + " " * (indent + 4) + "print(1)"
    source = _CALL_CONTEXTS[indent] + text + "\n" + ("except E:\n    pass\n" if indent == 4 else "")
    _assert_black_keeps(source)


@pytest.mark.parametrize("length", range(1, 110, 2))
def test_a_default_from_the_environment_is_black_style(length: int) -> None:
    """`base_url = os.environ.get("<PREFIX>_BASE_URL") or DEFAULT_BASE_URL` of each client's
    `__init__`: its length grows with the package's environment prefix."""
    first = f'os.environ.get("{"P" * length}_BASE_URL")'
    text = layout.either("base_url", first, "DEFAULT_BASE_URL", 12)
    source = "class _:\n    def f(self):\n        if base_url is None:\n" + text + "\n"
    if len(f"                {first}") > 100:
        assert needs_black(source)  # left to black: the call itself must be split
    else:
        _assert_black_keeps(source)
        assert not needs_black(source)


def test_readme_snippets_are_black_style() -> None:
    """Every README's Python, laid out by the renderer (imports, calls with example data,
    the clients' options) or by black where it is not: black changes nothing."""
    import re

    root = Path(__file__).resolve().parents[2]
    readmes = [*root.glob("generated/*/README.md"), *root.glob("tests/golden/packages/*/README.md")]
    assert len(readmes) >= 7
    for readme in readmes:
        for block in re.findall(r"^```python\n(.*?)^```$", readme.read_text(), re.M | re.S):
            assert format_source(block) == block, readme


@pytest.mark.parametrize(
    "annotation",
    ["str | None", "Annotated[str, Field(min_length=1, max_length=200)] | None", "list[Item]"],
)
@pytest.mark.parametrize("nested", [False, True])
@pytest.mark.parametrize("length", range(1, 100, 4))
def test_field_calls_split_one_argument_a_line_are_black_style(
    annotation: str, nested: bool, length: int
) -> None:
    """`name: annotation = Field(default=None, alias=…, validation_alias=AliasChoices(…))`
    (Partner Center's case-insensitive names): at `Field(`'s bracket, the arguments on one
    line or one a line, as black splits it; a statement black may split otherwise is left
    on one line for black."""
    alias = "A" * length
    arguments = ["default=None", f'alias="{alias}"']
    if nested:
        arguments.append(f'validation_alias=AliasChoices("{alias}", "{alias.lower()}")')
    else:
        arguments.append("deprecated=True")
    value = f"Field({', '.join(arguments)})"
    for target in ("x", "billing_currency_code", "a_rather_long_field_name_of_the_model"):
        text = layout.annotated(target, annotation, value, 4, None, arguments)
        source = "class A:\n" + text + "\n"
        if needs_black(source):
            assert "\n" not in text  # left whole to black
        else:
            _assert_black_keeps(source)


_VALUES = st.one_of(
    st.just(t.Lit(None)),
    st.from_regex(r"[A-Za-z]{1,70}", fullmatch=True).map(
        lambda alias: t.Call(S.FIELD, kwargs=(("alias", alias),))
    ),
    st.from_regex(r"[A-Za-z]{1,50}", fullmatch=True).map(
        lambda alias: t.Call(
            S.FIELD,
            kwargs=(
                ("default", None),
                ("alias", alias),
                ("validation_alias", t.Call(S.ALIAS_CHOICES, (alias, alias.lower()))),
            ),
        )
    ),
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(node=_types, name_length=st.integers(1, 60), value=_VALUES)
def test_fields_with_a_value_are_laid_out_as_black_writes_them(
    node: t.TypeNode, name_length: int, value: t.Expr
) -> None:
    """`name: type = value` (an alias, a default, `AliasChoices`): inside `Field(`, the type
    at its own brackets with `] = value` after, or a union a member a line in parentheses
    (aBILLity's e-mail pattern, PayPal's rate), as black writes it."""
    text = type_layout.field(_name(name_length, "a"), node, value, _Names())
    source = "class A:\n" + text + "\n"
    assume(not needs_black(source))
    event("split" if "\n" in text else "one line")
    _assert_black_keeps(source)


@pytest.mark.parametrize(
    "text", ['"', '"quoted" first', 'a "quoted" end"', '"\n"second line', '"""x"""', 'x\\"']
)
def test_docstrings_starting_or_ending_with_a_quote_are_black_style(text: str) -> None:
    """A description that starts with a double quote (biapi.pro's) opened the docstring with
    four quotes, which black pads with a space; the quote is escaped, as a final one is, and
    the text is kept."""
    import inspect

    from generator.filters import docstring

    literal = docstring(text, 4)
    _assert_black_keeps(f"def f():\n    {literal}\n")
    assert inspect.cleandoc(eval(literal)) == inspect.cleandoc(text)
