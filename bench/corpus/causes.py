"""What went wrong, as a short normalised cause, so that alike failures group together.

A cause is `<stage>: <what>`, where what is the first error diagnostic's code and message
(ours refusing a spec), the exception type and message head (a crash, a model that does not
build, an import that fails), mypy's first error code and message, or a timeout. Normalising
replaces what varies from spec to spec (quoted names, numbers, URL paths, JSON pointers, reprs
of spec fragments) with `…`, so that "name 'Pet' is not defined" and "name 'Order' is not
defined" are one cause.
"""

from __future__ import annotations

import re
from typing import Any

MAX_CAUSE = 140

_POINTER = re.compile(r"\s*\(#[^)]*\)\s*")
_HINT = re.compile(r"\s*\[hint: .*\]\s*$")
_QUOTED = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`""")
_BRACED = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]|\([^()]*\)")
_INPUT_VALUE = re.compile(r"input_value=.*?, (?=input_type=)")
_PLACEHOLDERS = {"{": "\x01", "[": "\x02", "(": "\x03"}
_CLOSING = {"{": "}", "[": "]", "(": ")"}
_PATHLIKE = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?/[\w.{}~%$@:+-]*(?:/[\w.{}~%$@:+-]*)*")
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?![\w])")
_SPACES = re.compile(r"\s+")


# Quoted words that say what is wrong, not where: kept (the missing property, the wanted type).
_KEPT = re.compile(r"'(\w+)'(?= is a required property)|(?<=is not of type )'\w+'(?:, '\w+')*")


def normalise(text: str) -> str:
    """Strip what varies between specs from a message (see the module docstring)."""
    text = _HINT.sub("", _POINTER.sub(" ", text))
    text = _INPUT_VALUE.sub("input_value=…, ", text)  # pydantic's repr of the input, cut short
    text = _KEPT.sub(lambda m: m.group(0).replace("'", "\x04"), text)
    text = _QUOTED.sub("'…'", text).replace("\x04", "'")
    text = _PATHLIKE.sub("/…", text)
    for _ in range(8):  # nested reprs collapse from the inside out, through placeholders
        collapsed = _BRACED.sub(lambda m: _PLACEHOLDERS[m.group(0)[0]], text)
        if collapsed == text:
            break
        text = collapsed
    for opening, placeholder in _PLACEHOLDERS.items():
        text = text.replace(placeholder, opening + "…" + _CLOSING[opening])
    text = _NUMBER.sub("N", text)
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= MAX_CAUSE else text[: MAX_CAUSE - 1] + "…"


# --------------------------------------------------------------------------- generating

_DIAGNOSTIC = re.compile(r"^.*?:\d+(?::\d+)?: ([A-Z]\d{3}) (.*)$")
_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning))\b:?(.*)$")
_FRAME = re.compile(r'^\s*File "([^"]+)", line \d+, in (\S+)')


def diagnostics(stderr: str) -> tuple[list[str], int]:
    """(error diagnostics, number of warnings) of our generator's stderr."""
    errors: list[str] = []
    warnings = 0
    for line in stderr.splitlines():
        match = _DIAGNOSTIC.match(line)
        if match is None:
            continue
        if match.group(2).startswith("warning:"):
            warnings += 1
        else:
            errors.append(f"{match.group(1)} {match.group(2)}")
    return errors, warnings


def crash_cause(text: str, home: str) -> str | None:
    """`ExceptionType: message (file:function)` of the last traceback in `text`, or None.

    The location is the innermost frame whose file lies under `home` (`generator/` for ours,
    `openapi_python_client/` for opc), so one bug in one function is one cause.
    """
    if "Traceback (most recent call last)" not in text:
        return None
    lines = text[text.rindex("Traceback (most recent call last)") :].splitlines()
    where = ""
    for line in lines:
        frame = _FRAME.match(line)
        if frame and f"/{home}/" in frame.group(1):
            where = f"{home}/{frame.group(1).rsplit(f'/{home}/', 1)[1]}:{frame.group(2)}"
    exception = next(
        (m for m in (_EXCEPTION.match(line.strip()) for line in reversed(lines)) if m), None
    )
    if exception is None:
        head = lines[-1].strip() if lines else "traceback"
    else:
        head = f"{exception.group(1).rsplit('.', 1)[-1]}: {exception.group(2).strip()}"
    return f"{normalise(head)}" + (f" ({where})" if where else "")


def generate_status(returncode: int | None, stderr: str, home: str) -> tuple[str, str | None]:
    """(status, cause) of a generator run: ok, refused, crash, failed or timeout."""
    if returncode is None:
        return "timeout", "generate: timeout"
    if returncode == 0:
        return "ok", None
    crash = crash_cause(stderr, home)
    if crash is not None:
        return "crash", f"generate crash: {crash}"
    if returncode < 0:
        return "crash", f"generate crash: killed by signal {-returncode}"
    errors, _ = diagnostics(stderr)
    if errors:
        return "refused", f"generate refused: {normalise(errors[0])}"
    last = [line.strip() for line in stderr.splitlines() if line.strip()]
    return "failed", f"generate failed: exit {returncode}: {normalise(last[-1] if last else '')}"


# --------------------------------------------------------------------------- checking


def check_causes(findings: dict[str, Any], compare_operations: bool = True) -> list[str]:
    """The causes of a check's findings (empty when every check passed)."""
    if findings.get("imported") != "ok":
        return [f"import: {normalise(str(findings.get('imported')))}"]
    causes = []
    if findings.get("models_failed"):
        first = findings["model_failures"][0][1] if findings.get("model_failures") else "?"
        causes.append(f"models: {normalise(first)}")
    expected, found = findings.get("operations_expected"), findings.get("operations_found")
    if findings.get("operations_error"):
        causes.append(f"operations: {normalise(str(findings['operations_error']))}")
    elif compare_operations and expected is not None and found is not None and found != expected:
        causes.append(
            "operations: fewer than the spec declares"
            if found < expected
            else "operations: more than the spec declares"
        )
    if findings.get("hints_failed"):
        first = findings["hint_failures"][0][1] if findings.get("hint_failures") else "?"
        causes.append(f"type hints: {normalise(first)}")
    return causes


_MYPY_ERROR = re.compile(r"^[^:]+:\d+(?::\d+)?: error: (.*?)(?:\s+\[([\w-]+)\])?$")


def mypy_findings(returncode: int | None, stdout: str) -> tuple[str, int, str | None]:
    """(status, error count, cause) of a `mypy --strict` run."""
    if returncode is None:
        return "timeout", 0, "mypy: timeout"
    errors = [m for m in (_MYPY_ERROR.match(line) for line in stdout.splitlines()) if m]
    if returncode == 0:
        return "ok", 0, None
    if not errors:
        last = [line for line in stdout.splitlines() if line.strip()]
        return "crash", 0, f"mypy crash: {normalise(last[-1] if last else f'exit {returncode}')}"
    first = errors[0]
    code = f"[{first.group(2)}] " if first.group(2) else ""
    return "failed", len(errors), f"mypy: {code}{normalise(first.group(1))}"
