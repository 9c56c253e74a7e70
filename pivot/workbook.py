"""The learner's workbook: every answer, saved as they work, there again after a restart.

One JSON file holds the answers to every exercise. Saving is atomic (write a temporary file in
the same folder, flush it to disk, then rename it over the old one), so a crash or a full disk
mid-save leaves the previous workbook intact. Each save re-reads the file under a lock and
replaces only its own exercise, so two notebooks open at once do not erase each other's work.

A file that cannot be read as a workbook is never overwritten: it is moved aside to
``workbook.json.corrupt-1`` (``-2`` … if that exists) and the learner is told where it went.

Where the workbook lives, in order of precedence:

1. ``PIVOT_WORKBOOK`` — a file path, or ``:memory:`` for a workbook that is never written
   (the book build uses this so that published pages never show anyone's answers);
2. ``PIVOT_WORKBOOK_DIR`` — a folder shared by a class; each learner gets ``<name>.json``,
   where the name is ``PIVOT_LEARNER`` or the login name;
3. ``~/.pivot/workbook.json``.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import tempfile
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
    "export_markdown",
    "use",
]

FORMAT = "pivot-workbook"
VERSION = 1
MEMORY = ":memory:"


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
    def _read(self) -> dict[str, dict[str, Any]]:
        """The entries on disk; raises WorkbookError if the file is not a workbook."""
        assert self.path is not None
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except UnicodeDecodeError as exc:
            raise WorkbookError(f"it is not UTF-8 text ({exc.reason})") from None
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise WorkbookError(f"it is not valid JSON (line {exc.lineno}: {exc.msg})") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise WorkbookError("it is not a Pivot workbook")
        if doc.get("version") != VERSION:
            raise WorkbookError(f"it is workbook version {doc.get('version')!r}, not {VERSION}")
        entries = doc.get("exercises")
        if not isinstance(entries, dict) or not all(
            isinstance(v, dict) and "answer" in v for v in entries.values()
        ):
            raise WorkbookError("its list of exercises is damaged")
        return entries

    def _load_or_set_aside(self) -> dict[str, dict[str, Any]]:
        try:
            return self._read()
        except WorkbookError as exc:
            self._set_aside(str(exc))
            return {}
        except OSError as exc:
            self.notices.append(
                f"Your workbook {self.path} could not be opened ({exc.strerror or exc}). "
                "Your answers will be kept while this notebook runs but cannot be saved "
                "until the file can be read."
            )
            self._unreadable = True
            return {}

    def _set_aside(self, reason: str) -> Path | None:
        assert self.path is not None
        n = 1
        while (aside := self.path.with_name(f"{self.path.name}.corrupt-{n}")).exists():
            n += 1
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
        """The saved answer of one exercise, or ``None``."""
        entry = self._entries.get(exercise_id)
        return None if entry is None else entry["answer"]

    def entries(self) -> dict[str, dict[str, Any]]:
        """Every saved entry, in the order exercises were first saved (a copy)."""
        return json.loads(json.dumps(self._entries))

    # --- writing -------------------------------------------------------------------------
    def save(
        self, exercise_id: str, answer: Mapping[str, Any], *, title: str = "", markdown: str = ""
    ) -> SaveResult:
        """Store one exercise's answer and write the workbook atomically.

        Returns a :class:`SaveResult`; it never raises for a disk problem, because the learner's
        answers are still in the widgets and the message tells them what went wrong.
        """
        entry = {"title": title, "answer": json.loads(json.dumps(answer)), "markdown": markdown}
        self._entries[exercise_id] = entry
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
                    on_disk = self._read()
                except WorkbookError as exc:
                    self._set_aside(str(exc))
                    on_disk = {}
                on_disk[exercise_id] = entry
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
        text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False)
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
    """Export the current workbook as Markdown (to ``path``; pass ``None`` to only return it)."""
    return current().export_markdown(path)
