"""Small helpers shared by the Shift 1 exercises: accessible HTML tables and safe saved values.

Everything learner-written or file-read passes through :func:`pivot.kit.escape` here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..kit import MAX_TEXT_CHARS, Message, escape


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str,
    wide: Sequence[str] = (),
) -> str:
    """A plain HTML table with a caption and column headers; every cell is escaped.
    Columns named in ``wide`` get a minimum width, so long text does not wrap word by word."""
    head = "".join(
        f'<th scope="col" style="text-align:left;padding:.2em .6em'
        f'{";min-width:18em" if h in wide else ""}">{escape(h)}</th>'
        for h in headers
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="padding:.2em .6em;border-top:1px solid #DDDDDD">{escape(c)}</td>'
            for c in row
        )
        + "</tr>"
        for row in rows
    )
    return (
        '<table class="pivot-table" style="border-collapse:collapse;margin:.4em 0">'
        f'<caption style="text-align:left;font-weight:bold;padding:.2em 0">{escape(caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def saved_text(value: object, limit: int) -> str | None:
    """A saved free-text value if it is text of at most ``limit`` characters, else ``None``."""
    return value if isinstance(value, str) and len(value) <= limit else None


def quote(text: str) -> str:
    """Learner text as a Markdown block quote (for exports)."""
    return "> " + text.strip().replace("\n", "\n> ")


def checks_feedback(checks, titles: dict[str, str], all_passed: str, extra=()):
    """Feedback for a list of checks (``discovery.Check``): one message per check, a closing
    message when every check passed, and the heading "Checks passed: n of m"."""
    passed = sum(c.passed for c in checks)
    msgs = list(extra) + [
        Message("good" if c.passed else "warn", f"{titles[c.name]}: {c.message}") for c in checks
    ]
    if passed == len(checks):
        msgs.append(Message("good", all_passed))
    return f"Checks passed: {passed} of {len(checks)}", msgs


def restore_reflection(reflection, answer, skipped: list[str]) -> str | None:
    """Put a saved reflection back in its box and say which saved parts could not be used.

    The last step of every exercise's ``restore``: ``skipped`` lists what was left out."""
    text = saved_text(answer.get("reflection", ""), MAX_TEXT_CHARS)
    if text is None:
        skipped.append("reflection")
    reflection.value = text or ""
    if skipped:
        return "Some saved answers could not be used: " + ", ".join(skipped) + "."
    return None
