"""The learner's workbook: every answer, saved as they work, there again after a restart.

One JSON file holds the answers to every exercise. Saving is atomic (write a temporary file in
the same folder, flush it to disk, then rename it over the old one), so a crash or a full disk
mid-save leaves the previous workbook intact. Each save re-reads the file under a lock and
replaces only its own exercise, so two notebooks open at once do not erase each other's work.

A file that cannot be read as a workbook is never overwritten: it is moved aside to
``workbook.json.corrupt-1`` (``-2`` … if that exists) and the learner is told where it went.
That covers text that is not JSON, JSON nested too deeply to read, numbers JSON cannot hold
(``NaN``, ``Infinity``, ``1e400``, integers of thousands of digits) and a top level of the wrong
shape. A file whose top level is sound but where some *entries* are damaged (an entry that is not
an object, has no ``answer``, or a title that is not text) keeps its good entries: the whole file
is first copied aside, then the damaged entries are left out and named in the notice. Opening
and setting aside happen under the workbook's lock, so two kernels opening the same damaged file
at once both recover and only one copy is set aside. Temporary files left by a process killed
mid-save (``.workbook.json.*.tmp``) are removed when the workbook is opened, once no save holds
the lock. A UTF-8 byte-order mark at the start of the file is accepted.

Each entry keeps the current attempt (``answer``, ``markdown``, and ``feedback``: what the
exercise's feedback panels said when it was saved) and, after :meth:`Workbook.new_attempt`, the
earlier attempts in ``attempts`` (oldest first). Entries written before these fields existed
load unchanged.

Where the workbook lives, in order of precedence:

1. ``PIVOT_WORKBOOK`` — a file path, or ``:memory:`` for a workbook that is never written
   (the book build uses this so that published pages never show anyone's answers);
2. ``PIVOT_WORKBOOK_DIR`` — a folder shared by a class; each learner gets ``<name>.json``,
   where the name is ``PIVOT_LEARNER`` or the login name;
3. ``~/.pivot/workbook.json``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import math
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # POSIX advisory locks; on Windows saves still are atomic, just not serialised
    import fcntl
except ImportError:  # pragma: no cover - exercised only on Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "MEMORY",
    "SaveResult",
    "Workbook",
    "current",
    "default_path",
    "export",
    "export_markdown",
    "use",
]

FORMAT = "pivot-workbook"
VERSION = 1
MEMORY = ":memory:"
#: A temporary file older than this is a leftover even if another save holds the lock now.
STALE_TEMP_SECONDS = 600


@dataclass(frozen=True)
class SaveResult:
    """What happened to a save: ``ok`` and a sentence for the learner."""

    ok: bool
    message: str


class WorkbookError(Exception):
    """A workbook file exists but is not a readable workbook."""


def default_path(environ: Mapping[str, str] | None = None) -> Path | None:
    """Where the workbook lives (``None`` for an in-memory workbook); see the module docstring."""
    env = os.environ if environ is None else environ
    explicit = env.get("PIVOT_WORKBOOK", "").strip()
    if explicit == MEMORY:
        return None
    if explicit:
        return Path(explicit).expanduser()
    folder = env.get("PIVOT_WORKBOOK_DIR", "").strip()
    if folder:
        learner = env.get("PIVOT_LEARNER", "").strip() or _login()
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", learner).strip("._") or "learner"
        return Path(folder).expanduser() / f"{safe}.json"
    return Path.home() / ".pivot" / "workbook.json"


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "learner"


class Workbook:
    """All of one learner's answers, keyed by exercise id (e.g. ``"start.self_assessment"``).

    Each entry holds the exercise's ``title``, its ``answer`` (JSON data the widget restores
    from) and ``markdown`` (how the answer reads in an export).
    """

    def __init__(self, path: str | os.PathLike | None):
        self.path = None if path is None else Path(path)
        self.notices: list[str] = []
        self._entries: dict[str, dict[str, Any]] = {}
        self._unreadable = False
        if self.path is not None:
            self._entries = self._load_or_set_aside()

    @classmethod
    def from_env(cls) -> Workbook:
        return cls(default_path())

    # --- reading -------------------------------------------------------------------------
    def _read_checked(self) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
        """(good entries, {exercise id: what is wrong}); raises WorkbookError for a bad file."""
        assert self.path is not None
        try:
            text = self.path.read_text(encoding="utf-8-sig")  # -sig: a BOM is accepted
        except FileNotFoundError:
            return {}, {}
        except UnicodeDecodeError as exc:
            raise WorkbookError(f"it is not UTF-8 text ({exc.reason})") from None
        doc = _parse(text)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise WorkbookError("it is not a Pivot workbook")
        version = doc.get("version")
        if type(version) is not int or version != VERSION:
            raise WorkbookError(f"it is workbook version {_short(version)}, not {VERSION}")
        entries = doc.get("exercises")
        if not isinstance(entries, dict):
            raise WorkbookError("its list of exercises is damaged")
        good: dict[str, dict[str, Any]] = {}
        bad: dict[str, str] = {}
        for exercise_id, entry in entries.items():
            problem = _entry_problem(entry)
            if problem:
                bad[exercise_id] = problem
            else:
                good[exercise_id] = entry
        return good, bad

    def _load_or_set_aside(self) -> dict[str, dict[str, Any]]:
        assert self.path is not None
        try:
            with contextlib.suppress(OSError):  # tidying must never stop the workbook opening
                self._remove_leftover_temp_files()
            try:
                entries, bad = self._read_checked()
                if not bad:
                    return entries  # the usual case: a sound file, read without the lock
            except WorkbookError:
                pass
            if not self.path.parent.is_dir():
                return {}
            # Damaged: look again under the lock, since another kernel may be repairing it now.
            with self._locked():
                try:
                    entries, bad = self._read_checked()
                except WorkbookError as exc:
                    self._set_aside(str(exc))
                    return {}
                if bad:
                    entries = self._quarantine(entries, bad)
                return entries
        except OSError as exc:
            self.notices.append(
                f"Your workbook {self.path} could not be opened ({exc.strerror or exc}). "
                "Your answers will be kept while this notebook runs but cannot be saved "
                "until the file can be read."
            )
            self._unreadable = True
            return {}

    def _aside_name(self) -> Path:
        assert self.path is not None
        n = 1
        while (aside := self.path.with_name(f"{self.path.name}.corrupt-{n}")).exists():
            n += 1
        return aside

    def _quarantine(
        self, good: dict[str, dict[str, Any]], bad: dict[str, str]
    ) -> dict[str, dict[str, Any]]:
        """Copy the file aside, then rewrite it with its good entries only (call under lock)."""
        assert self.path is not None
        aside = self._aside_name()
        with open(self.path, "rb") as src, open(aside, "xb") as dst:
            dst.write(src.read())
            dst.flush()
            os.fsync(dst.fileno())
        self._write(good)
        self.notices.append(
            f"Part of your workbook {self.path} could not be read: {_bad_entries_text(bad)} "
            f"damaged, so {'it was' if len(bad) == 1 else 'they were'} left out; your other "
            f"answers are here. Nothing was deleted: the whole file was copied to {aside}."
        )
        return good

    def _remove_leftover_temp_files(self) -> None:
        """Remove this workbook's temporary files left by a save that never finished.

        Only files named like the ones :meth:`_write` makes (``.workbook.json.<random>.tmp``,
        regular files). When no save holds the lock, every such file is a leftover; while one
        does, only files older than :data:`STALE_TEMP_SECONDS` are.
        """
        assert self.path is not None
        folder = self.path.parent
        if not folder.is_dir():
            return
        pattern = re.compile(rf"\.{re.escape(self.path.name)}\.[A-Za-z0-9_]+\.tmp")
        leftovers = [p for p in folder.iterdir() if pattern.fullmatch(p.name)]
        if not leftovers:
            return
        no_writer = self._lock_is_free()
        now = time.time()
        for p in leftovers:
            with contextlib.suppress(OSError):
                st = p.lstat()
                if not stat.S_ISREG(st.st_mode):
                    continue
                if no_writer or now - st.st_mtime > STALE_TEMP_SECONDS:
                    p.unlink()

    def _lock_is_free(self) -> bool:
        """True if no save holds this workbook's lock right now (False if it cannot be told)."""
        assert self.path is not None
        if fcntl is None:  # pragma: no cover - Windows: fall back to the age of the file
            return False
        try:
            with open(self.path.with_name(f".{self.path.name}.lock"), "a") as lock:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    return False
                fcntl.flock(lock, fcntl.LOCK_UN)
                return True
        except OSError:
            return False

    def _set_aside(self, reason: str) -> Path | None:
        assert self.path is not None
        aside = self._aside_name()
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            self._unreadable = True
            self.notices.append(
                f"Your workbook {self.path} could not be read ({reason}) and could not be moved "
                f"aside ({exc.strerror or exc}). It has not been changed; answers cannot be saved "
                "until it is fixed or moved."
            )
            return None
        self.notices.append(
            f"Your workbook {self.path} could not be read ({reason}). Nothing was deleted: "
            f"the file was moved to {aside}, and a new workbook was started."
        )
        return aside

    def get(self, exercise_id: str) -> dict[str, Any] | None:
        """The saved answer of one exercise (its current attempt), or ``None``."""
        entry = self._entries.get(exercise_id)
        return None if entry is None else entry.get("answer")

    def attempts(self, exercise_id: str) -> list[dict[str, Any]]:
        """The earlier attempts of one exercise, oldest first (a copy; ``[]`` if none)."""
        entry = self._entries.get(exercise_id) or {}
        earlier = entry.get("attempts")
        return json.loads(json.dumps(earlier)) if isinstance(earlier, list) else []

    def entries(self) -> dict[str, dict[str, Any]]:
        """Every saved entry, in the order exercises were first saved (a copy)."""
        return json.loads(json.dumps(self._entries))

    # --- writing -------------------------------------------------------------------------
    def save(
        self,
        exercise_id: str,
        answer: Mapping[str, Any],
        *,
        title: str = "",
        markdown: str = "",
        feedback: list[Mapping[str, Any]] | None = None,
        attempt: str = "current",
    ) -> SaveResult:
        """Store one exercise's answer and write the workbook atomically.

        ``feedback`` is what the exercise's feedback panels said (``[{"label", "heading",
        "messages": [{"level", "text", "detail"}]}]``), kept so that an export can show the
        verdicts and their reasons. ``attempt="new"`` first archives the current answer as an
        earlier attempt (see :meth:`new_attempt`); the default updates the current attempt.
        Numbers JSON cannot hold (NaN, infinity) are saved as ``null``.

        Returns a :class:`SaveResult`; it never raises for a disk problem, because the learner's
        answers are still in the widgets and the message tells them what went wrong.
        """
        if attempt not in ("current", "new"):
            raise ValueError(f"attempt must be 'current' or 'new' (got {attempt!r})")
        entry: dict[str, Any] = {"title": title, "answer": _json_copy(answer), "markdown": markdown}
        if feedback is not None:
            entry["feedback"] = _json_copy(list(feedback))
        return self._store(exercise_id, entry, archive=attempt == "new")

    def new_attempt(self, exercise_id: str) -> SaveResult:
        """Start a new attempt: the current answer moves to the entry's ``attempts`` list.

        Afterwards :meth:`get` returns ``None`` (so the exercise starts afresh) until the
        learner saves again; the export shows every attempt. Nothing happens if the exercise
        has no current answer.
        """
        return self._store(exercise_id, None, archive=True)

    def _store(
        self, exercise_id: str, entry: dict[str, Any] | None, *, archive: bool
    ) -> SaveResult:
        """Replace (``entry``) and/or archive the current attempt of one exercise, then write."""

        def merged(old: dict[str, Any] | None) -> dict[str, Any] | None:
            old = old or {}
            earlier = old.get("attempts")
            earlier = list(earlier) if isinstance(earlier, list) else []
            if archive and old.get("answer") is not None:
                done = {k: v for k, v in old.items() if k != "attempts"}
                done["archived"] = dt.date.today().isoformat()
                earlier.append(done)
            if entry is not None:
                new = dict(entry)
            elif archive and old:
                new = {"title": old.get("title", ""), "answer": None, "markdown": ""}
            else:
                return old or None
            if earlier:
                new["attempts"] = earlier
            return new

        local = merged(self._entries.get(exercise_id))
        if local is not None:
            self._entries[exercise_id] = local
        if self.path is None:
            return SaveResult(True, "Kept for this session (this workbook is not saved to disk).")
        if self._unreadable:
            return SaveResult(
                False,
                f"Not saved: the workbook file {self.path} could not be read earlier. "
                "Your answers are still here; fix or move that file and run this cell again.",
            )
        try:
            with self._locked():
                try:
                    on_disk, bad = self._read_checked()
                    if bad:
                        on_disk = self._quarantine(on_disk, bad)
                except WorkbookError as exc:
                    self._set_aside(str(exc))
                    on_disk = {}
                new = merged(on_disk.get(exercise_id))
                if new is not None:
                    on_disk[exercise_id] = new
                self._write(on_disk)
                self._entries = on_disk
        except OSError as exc:
            return SaveResult(
                False,
                f"Not saved: {exc.strerror or exc} ({self.path}). "
                "Your answers are still here; the previous saved copy is unchanged.",
            )
        return SaveResult(True, f"Saved to your workbook ({self.path.name}).")

    def _write(self, entries: dict[str, dict[str, Any]]) -> None:
        assert self.path is not None
        doc = {"format": FORMAT, "version": VERSION, "exercises": entries}
        text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False, allow_nan=False)
        # A lone surrogate (a browser can send one) cannot be written as UTF-8: write it as a
        # JSON escape instead, which reads back as exactly the same string.
        text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fcntl is None:  # pragma: no cover
            yield
            return
        with open(self.path.with_name(f".{self.path.name}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # --- export --------------------------------------------------------------------------
    def export_markdown(self, path: str | os.PathLike | None = None) -> str:
        """The whole workbook as Markdown; also written to ``path`` if given."""
        lines = ["# My Pivot workbook", ""]
        if not self._entries:
            lines.append("_No answers saved yet._")
        for exercise_id, entry in self._entries.items():
            lines += [f"## {entry.get('title') or exercise_id}", ""]
            lines += [entry.get("markdown") or "_(no summary)_", ""]
        text = "\n".join(lines).rstrip() + "\n"
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


_current: Workbook | None = None


def current() -> Workbook:
    """The workbook the exercises in this kernel use (created from the environment once)."""
    global _current
    if _current is None:
        _current = Workbook.from_env()
    return _current


def use(path: str | os.PathLike | None) -> Workbook:
    """Point this kernel's exercises at another workbook file (``None``: in memory only)."""
    global _current
    _current = Workbook(path)
    return _current


def export_markdown(path: str | os.PathLike | None = "my-pivot-workbook.md") -> str:
    """Export the current workbook as Markdown (to ``path``; pass ``None`` to only return it).

    For the learner's keepsake (item titles, verdicts, every attempt, an HTML copy that prints
    well) use :func:`export`.
    """
    return current().export_markdown(path)


def export(folder: str | os.PathLike | None = None, **options: Any):
    """Write ``my-pivot-workbook.md`` and ``.html`` and say where: see :func:`pivot.export.export`.

    ``from pivot import workbook; workbook.export()`` as the last line of a cell shows a short
    message with links to both files.
    """
    from . import export as _export

    return _export.export(folder, workbook=current(), **options)


# --- checking what is read and written ------------------------------------------------------
_SURROGATE = re.compile("[\ud800-\udfff]")


def _short(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reject_constant(name: str) -> float:
    raise ValueError(f"it contains {name}, a number JSON cannot hold")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"it contains the number {text[:20]}, too large to hold")
    return value


def _parse(text: str) -> Any:
    """JSON text to data; raises WorkbookError for anything a workbook could not be."""
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise WorkbookError(f"it is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise WorkbookError("it is nested too deeply to be a workbook") from None
    except ValueError as exc:  # NaN, 1e400, integers too long to convert
        reason = str(exc) if str(exc).startswith("it contains") else "it contains a number too long"
        raise WorkbookError(reason) from None


def _entry_problem(entry: object) -> str:
    """What is wrong with one saved entry ('' if nothing)."""
    if not isinstance(entry, dict):
        return f"it is {type(entry).__name__}, not an object"
    if "answer" not in entry:
        return "it has no answer"
    for key in ("title", "markdown"):
        if key in entry and not isinstance(entry[key], str):
            return f"its {key} is {type(entry[key]).__name__}, not text"
    return ""


def _bad_entries_text(bad: Mapping[str, str]) -> str:
    parts = [f"'{_short(k, 60)[1:-1]}' ({why})" for k, why in list(bad.items())[:5]]
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    noun = "the entry" if len(bad) == 1 else "the entries"
    verb = "is" if len(bad) == 1 else "are"
    return f"{noun} {', '.join(parts)}{more} {verb}"


def _json_copy(value: Any) -> Any:
    """A deep copy through JSON, with NaN and infinities replaced by ``None``."""

    def clean(v: Any, depth: int = 0) -> Any:
        if depth > 200:
            raise ValueError("an answer nested more than 200 levels deep cannot be saved")
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, Mapping):
            return {str(k): clean(x, depth + 1) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x, depth + 1) for x in v]
        return v

    return json.loads(json.dumps(clean(value), allow_nan=False))
