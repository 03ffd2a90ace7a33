"""ECMA-262 patterns on the linear-time engine: translation, meaning, and what is refused."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from generator import patterns

TRANSLATIONS = [
    # Annex B syntax real specs use (beezup.com's URL pattern, escaped slashes and dashes)
    (r"[\w-\.]", r"[[0-9A-Za-z_]\-\.]"),
    (r"^https?:\/\/", r"^https?://"),
    (r"\%\@\<\>", "%@<>"),  # unnecessary escapes; `\<` is not Rust's word boundary
    (r"a{", r"a\{"),  # not a quantifier: a literal brace
    (r"a{1,", r"a\{1,"),
    ("[]", r"[^\x00-\x{10FFFF}]"),  # matches nothing
    ("[^]", r"[\x00-\x{10FFFF}]"),  # matches anything
    # ECMA-262 meanings, which differ from Rust's defaults
    (r"\d", "[0-9]"),
    (r"\w", "[0-9A-Za-z_]"),
    (".", r"[^\n\r\x{2028}\x{2029}]"),
    (r"\bx\B", r"(?-u:\b)x(?-u:\B)"),
    (r"[\b]", r"[\x{8}]"),
    # escapes
    (r"\cJ", r"\x{A}"),
    (r"\c1", r"\\c1"),  # Annex B: not a control escape
    (r"\u0041\x41\u{1F600}", "AA\U0001f600"),
    (r"\uD83D\uDE00", "\U0001f600"),  # a surrogate pair is one code point
    (r"\0", r"\x{0}"),
    (r"\012", r"\x{A}"),  # legacy octal
    (r"\8", "8"),
    # Unicode properties, and POSIX names in Java's spelling
    (r"\p{L}+\P{Lu}", r"\p{L}+\P{Lu}"),
    (r"\p{Script=Greek}", r"\p{Script=Greek}"),
    (r"\p{Print}", "[ -~]"),
    (r"\P{Alnum}", "[^a-zA-Z0-9]"),
    (r"[\p{L}\d_-]", r"[\p{L}[0-9]_\-]"),
    # groups: only matching matters, so every group is non-capturing
    (r"(?<year>\d{4})-(\d\d)", r"(?:[0-9]{4})\-(?:[0-9][0-9])"),
    (r"(?:a|b)*?", "(?:a|b)*?"),
    # runs of literals: escaped where Rust reads syntax, a quantifier repeats the last one
    (r"ab#&~c-d+", r"ab\#\&\~c\-d+"),
    ("é\u2028x]}", r"é\x{2028}x\]\}"),
]


@pytest.mark.parametrize(("pattern", "expected"), TRANSLATIONS)
def test_translation(pattern: str, expected: str) -> None:
    assert patterns.translate(pattern) == expected
    assert patterns.compiles(pattern)
    assert patterns.explain(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(?<=a)b", "lookaround"),
        (r"a(?=b)", "lookaround"),
        (r"(a)\1", "backreference"),
        (r"(?<x>a)\k<x>", "backreference"),
        (r"\p{NoSuchProperty}", "unknown Unicode property"),
        (r"\uD800", "lone surrogate"),
    ],
)
def test_valid_but_unsupported(pattern: str, reason: str) -> None:
    assert patterns.translate(pattern) is None
    assert not patterns.compiles(pattern)
    assert patterns.is_valid(pattern)
    assert reason in (patterns.explain(pattern) or "")


@pytest.mark.parametrize(
    "pattern", ["(", ")", "a**", "*a", "a{2,1}", "[z-a]", "(?i)a", "x{2}{3}", "\\", "[a"]
)
def test_invalid(pattern: str) -> None:
    assert patterns.translate(pattern) is None
    assert not patterns.is_valid(pattern)
    assert (patterns.explain(pattern) or "").startswith("invalid regular expression")


def test_too_large_for_the_engine() -> None:
    pattern = "(?:a{1000}){1000}"
    assert patterns.translate(pattern) is not None
    assert not patterns.compiles(pattern)
    assert patterns.explain(pattern) == "it is too large for the regex engine"
    # translated only, not compiled: it passes, and what cannot be translated still fails
    assert patterns.explain(pattern, compile=False) is None
    assert "backreference" in (patterns.explain(r"(a)\1", compile=False) or "")
    assert patterns.explain(r"^(?=.*\d).{8,}$", compile=False) is None


def test_compiled_patterns_kept_are_bounded_by_weight() -> None:
    """Compiled large patterns take about 1.7 MiB each: the cache holds their weight, not
    a count of them (4,096 of these once took 3.6 GiB)."""
    large = [f"^(?:[a-z]{{1,100}}){{1,90}}x{i}$" for i in range(30)]
    assert patterns.weight(large[0]) > 9000
    for pattern in large:
        matcher = patterns.matcher(pattern)
        assert matcher is not None and matcher.search("a" * 20 + "x1") in (True, False)
    assert patterns._cached_weight <= patterns.MAX_CACHED_WEIGHT
    assert patterns.is_compiled(large[-1]) and not patterns.is_compiled(large[0])
    assert patterns.matcher(large[0]) is not None  # compiled again when needed


SEARCHES = [
    (r"\d", "\u0663", False),  # ARABIC-INDIC DIGIT THREE is not an ECMA-262 \d
    (r"^\d+$", "2024", True),
    ("b", "abc", True),  # search, not full match
    ("^.$", "\n", False),
    ("^.$", "\u2028", False),
    ("^.$", "\U0001f600", True),
    (r"\bé", " é", False),  # \b is ASCII
    (r"^\s$", "\u00a0", True),
    (r"^\s$", "\ufeff", True),
    (r"^\p{Lu}$", "É", True),
    (r"^[\w-\.]+$", "a-b.c", True),
    ("a$", "a\n", False),  # `$` is the end of input only
    (r"^(a+)+$", "a" * 100_000 + "!", False),  # catastrophic for a backtracking engine
    # lookaheads right after `^` run as a conjunction of linear-time matches
    (r"^(?=.*[A-Z])(?=.*\d)(?!.*\s).{8,}$", "Password1", True),
    (r"^(?=.*[A-Z])(?=.*\d)(?!.*\s).{8,}$", "password1", False),
    (r"^(?=.*[A-Z])(?=.*\d)(?!.*\s).{8,}$", "Pass word1", False),
    (r"^(?!0+(?:\.0+)?$)(?:0?\.\d{1,2}|[1-9]\d?(?:\.\d{1,2})?|100(?:\.0{1,2})?)$", "0.00", False),
    (r"^(?!0+(?:\.0+)?$)(?:0?\.\d{1,2}|[1-9]\d?(?:\.\d{1,2})?|100(?:\.0{1,2})?)$", "0.5", True),
]


@pytest.mark.parametrize(("pattern", "text", "expected"), SEARCHES)
def test_search(pattern: str, text: str, expected: bool) -> None:
    matcher = patterns.matcher(pattern)
    assert matcher is not None
    assert matcher.search(text) is expected


def test_lookahead_conjunction_needs_a_leading_caret_and_no_top_level_bar() -> None:
    assert patterns.matcher(r"^(?=a)b|c") is None
    assert patterns.matcher(r"a(?=b)") is None
    assert patterns.translate(r"^(?=a)a") is None  # no single-regex form


def test_text_with_a_lone_surrogate_is_not_judged() -> None:
    matcher = patterns.matcher("a")
    assert matcher is not None
    assert matcher.search("a\ud800") is None


def test_weight_grows_with_counted_repetition() -> None:
    small, large = patterns.matcher("a"), patterns.matcher("(?:ab){50}")
    assert small is not None and large is not None
    assert large.weight >= 100 * small.weight
    assert patterns.weight("abc{3}") == patterns.weight("abccc") == 5


# The same patterns and texts through Node's RegExp: `u` mode when the pattern is valid
# there (what JSON Schema recommends), else Annex B mode, as `patterns` reads them.
NODE_SCRIPT = """
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = cases.map(([p, t]) => {
  let re;
  try { re = new RegExp(p, 'u'); } catch (e) { re = new RegExp(p); }
  return re.test(t);
});
process.stdout.write(JSON.stringify(out));
"""

DIFFERENTIAL = [
    (p, t)
    for p, t in [
        *[(p, t) for p, t, _ in SEARCHES if len(t) < 1000],
        (r"^[\w-\.]+@[\w-]+\.[a-z]{2,5}$", "jo.e-x@host.com"),
        (r"^[\w-\.]+@[\w-]+\.[a-z]{2,5}$", "jo e@host.com"),
        (r"^\p{L}[\p{L}\p{Nd} ]*$", "Zoë 2"),
        (r"^\p{L}[\p{L}\p{Nd} ]*$", "2Zoë"),
        (r"^[^\s@]+@[^\s@]+$", "a@b"),
        (r"\W", "é"),
        (r"^\cJ$", "\n"),
        (r"^a{2,3}$", "aaaa"),
        (r"^a{,3}$", "a{,3}"),
        (r"^[]$", ""),
        (r"^[^]$", "\n"),
        (r"^(?:\u0041|\x42)+$", "ABBA"),
        (r"^\u{1F600}$", "\U0001f600"),
        (r"^[\d-x]+$", "1-x"),
    ]
]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_same_answers_as_node() -> None:
    result = subprocess.run(
        ["node", "-e", NODE_SCRIPT],
        input=json.dumps(DIFFERENTIAL),
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(result.stdout)
    ours = []
    for pattern, text in DIFFERENTIAL:
        matcher = patterns.matcher(pattern)
        assert matcher is not None, pattern
        ours.append(matcher.search(text))
    mismatches = [
        (p, t, o, e) for (p, t), o, e in zip(DIFFERENTIAL, ours, expected, strict=True) if o != e
    ]
    assert not mismatches
