"""`make hub` (pivot/hub.py): the course on a real JupyterHub, proven with a class.

The live tests start the real hub and proxy on free loopback ports (the module fixture
``hub_class``), play 20 learners at once through the hub's REST API and their kernels'
websockets (``class_run``), check their workbooks, their isolation and a restart, then one
learner and the instructor in Chromium, cull the idle servers, stop the hub and look for every
process it had. They share one hub, so tests/conftest.py keeps this file on
one worker; they carry the ``browser`` mark, so ``make test-fast`` leaves them out. Generous
timeouts, no timing assertions: the figures are in bench/hub.py.

The unit tests (nbgitpuller links, configuration, passwords, user names, homes) need no hub.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import ARTIFACTS, IN_CI, ROOT, chromium_path, screenshot

from pivot import data, hub
from pivot.workbook import Workbook, default_path

N_LEARNERS = 20
LEARNERS = [f"learner-{i:02d}" for i in range(N_LEARNERS)]
IN_BROWSER = "browser-learner"
EXERCISES = {"start.self_assessment", "shift1.problem_statement"}
ITEMS = list(data.load("self_assessment")["item_id"])
live = pytest.mark.browser  # a real server (and Chromium): not part of `make test-fast`


def run_async(coroutine):
    """Run a coroutine to its end in a thread of its own (Playwright's sync API keeps an event
    loop running in the test's thread once Chromium is open)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# --- nbgitpuller links ------------------------------------------------------------------
def query(url: str) -> dict[str, str]:
    parts = urllib.parse.urlsplit(url)
    return dict(urllib.parse.parse_qsl(parts.query, strict_parsing=True))


def test_nbgitpuller_link_has_the_form_of_nbgitpullers_link_generator():
    url = hub.nbgitpuller_url(
        "https://hub.example.org/",
        "https://github.com/example/pivot",
        "notebooks/00-start/10-self-assessment.ipynb",
    )
    parts = urllib.parse.urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "hub.example.org",
        "/hub/user-redirect/git-pull",
    )
    assert query(url) == {
        "repo": "https://github.com/example/pivot",
        "urlpath": "lab/tree/pivot/notebooks/00-start/10-self-assessment.ipynb",
        "branch": "main",  # always given: nbgitpuller's own default is master
    }
    # every reserved character of the values is escaped, so the query parses back exactly
    assert "repo=https%3A%2F%2Fgithub.com%2Fexample%2Fpivot" in url


def test_nbgitpuller_link_keeps_a_hub_under_a_path_and_names_a_target_folder():
    url = hub.nbgitpuller_url(
        "https://uni.example.edu/jupyter",
        "git@example.org:team/course.git",
        "notebooks/x.ipynb",
        branch="autumn",
        target="pivot-course",
    )
    assert url.startswith("https://uni.example.edu/jupyter/hub/user-redirect/git-pull?")
    assert query(url) == {
        "repo": "git@example.org:team/course.git",
        "urlpath": "lab/tree/pivot-course/notebooks/x.ipynb",
        "branch": "autumn",
        "targetPath": "pivot-course",
    }


@pytest.mark.parametrize(
    ("repo", "folder"),
    [
        ("https://github.com/o/pivot", "pivot"),
        ("https://github.com/o/pivot.git", "pivot"),
        ("https://github.com/o/pivot/", "pivot"),
        ("git@github.com:o/the-pivot.git", "the-pivot"),
        ("/srv/git/pivot.git", "pivot"),
    ],
)
def test_the_clone_folder_is_the_one_git_clone_makes(repo, folder):
    assert hub.repo_folder(repo) == folder


@pytest.mark.parametrize("bad", ["hub.example.org", "ftp://hub.example.org", ""])
def test_a_hub_url_without_http_is_refused_with_a_message(bad):
    with pytest.raises(ValueError, match="must start with http"):
        hub.nbgitpuller_url(bad, "https://github.com/o/pivot", "notebooks/x.ipynb")


def test_links_cover_every_notebook_of_the_toc_in_order_grouped_by_part():
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    expected = [
        (part["caption"], f"{ch['file']}.ipynb")
        for part in toc["parts"]
        for ch in part["chapters"]
        if (ROOT / f"{ch['file']}.ipynb").exists()
        and not ch["file"].startswith("notebooks/instructor/")
    ]
    items = hub.links("https://hub.example.org", "https://github.com/o/pivot")
    assert [(i.part, i.notebook) for i in items] == expected
    assert len(items) >= 20
    for item in items:
        assert query(item.url)["urlpath"] == f"lab/tree/pivot/{item.notebook}"
        assert item.title and not item.title.startswith("#")
    text = hub.links_markdown(items)
    parts = [p["caption"] for p in toc["parts"] if any(e[0] == p["caption"] for e in expected)]
    assert re.findall(r"^## (.+)$", text, re.M) == parts
    assert text.count("Part link") == len(parts)
    assert "For instructors" not in text  # the class view is not handed out


def test_links_follow_a_changed_toc(tmp_path):
    (tmp_path / "notebooks").mkdir()
    nb = {"cells": [{"cell_type": "markdown", "source": ["# A new part\n"], "metadata": {}}]}
    (tmp_path / "notebooks" / "a.ipynb").write_text(json.dumps(nb))
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: Extra\n    chapters:\n"
        "      - file: notebooks/a\n      - file: book/missing\n"
    )
    items = hub.links("https://h.example", "https://g.example/o/r", toc=tmp_path / "_toc.yml")
    assert [(i.part, i.title, i.notebook) for i in items] == [
        ("Extra", "A new part", "notebooks/a.ipynb")
    ]


def test_links_command_prints_markdown_and_refuses_a_bad_hub(capsys):
    args = ["links", "--repo", "https://github.com/o/pivot"]
    assert hub.main([*args, "--hub", "https://hub.example.org"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Start here")
    assert "hub.example.org/hub/user-redirect/git-pull?repo=" in out
    assert hub.main([*args, "--hub", "hub.example.org"]) == 2
    assert "must start with http" in capsys.readouterr().err


# --- configuration ----------------------------------------------------------------------
def configured(**changes):
    from traitlets.config import Config

    settings = hub.Settings(
        state="/srv/hub-state",
        password="workshop-pass",
        admin_password="i" * 40,
        proxy="/opt/chp",
        hub_port=18081,
        proxy_api_port=18001,
        **changes,
    )
    c = Config()
    hub.configure(c, settings)
    return c


def test_configuration_shared_password_local_spawner_loopback_and_a_culler():
    c = configured(idle_timeout=1200)
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert c.SharedPasswordAuthenticator.user_password == "workshop-pass"
    assert c.Authenticator.admin_users == {"instructor"}
    assert c.Authenticator.allow_all is True
    assert c.JupyterHub.spawner_class == "pivot.hub.CourseSpawner"
    assert (c.JupyterHub.ip, c.JupyterHub.port, c.JupyterHub.hub_ip) == (
        "127.0.0.1",
        8800,
        "127.0.0.1",
    )
    assert c.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:18001"
    assert c.ConfigurableHTTPProxy.command == ["/opt/chp"]
    culler = next(s for s in c.JupyterHub.services if s["name"] == "idle-culler")
    assert "--timeout=1200" in culler["command"]
    role = next(r for r in c.JupyterHub.load_roles if r["name"] == "idle-culler")
    assert set(role["scopes"]) == {
        "list:users",
        "read:users:activity",
        "read:servers",
        "delete:servers",
    }
    assert not any(s["name"] == "pivot-driver" for s in c.JupyterHub.services)


def test_a_list_of_learners_replaces_allow_all_and_a_driver_gets_only_its_scopes():
    c = configured(learners=["ada", "grace"], driver_token="t" * 32)
    assert c.Authenticator.allowed_users == {"ada", "grace"}
    assert "allow_all" not in c.Authenticator
    role = next(r for r in c.JupyterHub.load_roles if r["name"] == "pivot-driver")
    assert role["scopes"] == ["admin:users", "admin:servers", "tokens", "access:servers"]


@given(st.from_regex(hub.USERNAME_PATTERN, fullmatch=True))
def test_every_allowed_user_name_is_its_own_workbook_file(name):
    path = default_path({"PIVOT_WORKBOOK_DIR": "/class", "PIVOT_LEARNER": name})
    assert path == Path("/class") / f"{name}.json"


@pytest.mark.parametrize("name", ["ada l", "ada_", "_ada", "ada.", ".ada", "ådа", "x" * 33, ""])
def test_user_names_that_would_share_or_change_a_workbook_file_are_refused(name):
    assert re.match(hub.USERNAME_PATTERN, name) is None
    assert configured().Authenticator.username_pattern == hub.USERNAME_PATTERN


def test_a_learners_server_port_is_free_and_outside_the_ephemeral_range():
    import socket

    ports = {hub.server_port() for _ in range(20)}
    assert all(20000 <= p < 32768 for p in ports)
    assert len(ports) > 1  # chosen afresh each time
    # a taken port is never chosen: with one port in the range and it taken, any free port
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        assert hub.server_port(ports=range(port, port + 1)) != port


def test_passwords_are_made_once_kept_private_and_can_be_set(tmp_path):
    user, admin = hub.passwords(tmp_path, environ={})
    assert len(user) >= hub.MIN_PASSWORD and len(admin) >= hub.MIN_ADMIN_PASSWORD
    assert user != admin
    assert hub.passwords(tmp_path, environ={}) == (user, admin)  # kept, not remade
    assert (tmp_path / "passwords.json").stat().st_mode & 0o077 == 0
    assert hub.passwords(tmp_path, environ={"PIVOT_HUB_PASSWORD": "our-class-2026"})[0] == (
        "our-class-2026"
    )
    with pytest.raises(SystemExit, match="at least 8 characters"):
        hub.passwords(tmp_path, environ={"PIVOT_HUB_PASSWORD": "short"})


def test_kernel_sockets_go_in_a_short_private_folder_of_ours(tmp_path, monkeypatch):
    # kernel-<uuid>-ipc-<n> (49 characters) must fit in a Unix socket's path (104 on macOS)
    socket_path = hub.runtime_root(hub.Settings(state="/x")) / "12345" / ("k" * 49)
    assert len(str(socket_path)) < 100
    monkeypatch.setattr(hub, "RUNTIME_BASE", tmp_path)
    settings = hub.Settings(state="/srv/a/long/state/folder/for/the/class/of/2026")
    folder = hub.runtime_dir(settings, 12)
    assert folder.parent == hub.runtime_root(settings) and folder.name == "12"
    assert folder.parent.stat().st_mode & 0o077 == 0 and folder.stat().st_mode & 0o077 == 0
    other = hub.Settings(state="/srv/another")
    hub.runtime_root(other).symlink_to(tmp_path)  # someone else's folder in its place
    with pytest.raises(RuntimeError, match="is not a folder of this user's"):
        hub.runtime_dir(other, 1)


COURSE = sorted(
    p.relative_to(ROOT / "notebooks")
    for p in (ROOT / "notebooks").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
FOR_INSTRUCTOR = [p for p in COURSE if p.parts[0] == hub.INSTRUCTOR_NOTEBOOKS]


def copied(home: Path) -> list[Path]:
    return sorted(p.relative_to(home / "my-notebooks") for p in home.rglob("*.ipynb"))


def test_a_learners_home_has_the_course_notebooks_and_the_books_pages(tmp_path):
    settings = hub.Settings(state=str(tmp_path / "state"))
    home = tmp_path / "state" / "users" / "ada"
    hub.prepare_home(home, settings)
    assert copied(home) == [p for p in COURSE if p not in FOR_INSTRUCTOR]
    assert (home / "book").resolve() == ROOT / "book"
    assert not (home / "class").exists()
    assert hub.landing_notebook(home) == "my-notebooks/00-start/10-self-assessment.ipynb"
    first = home / "my-notebooks" / "00-start" / "10-self-assessment.ipynb"
    first.write_text("mine")
    hub.prepare_home(home, settings)  # again, as at every start: the learner's file is kept
    assert first.read_text() == "mine"


def test_the_instructors_home_has_the_class_view_and_the_class_folder(tmp_path):
    settings = hub.Settings(state=str(tmp_path / "state"))
    home = tmp_path / "state" / "users" / "instructor"
    hub.prepare_home(home, settings, instructor=True)
    assert copied(home) == COURSE
    assert (home / "class").resolve() == settings.class_path.resolve()
    if (ROOT / "notebooks" / hub.CLASS_VIEW).exists():
        assert hub.landing_notebook(home, True) == f"my-notebooks/{hub.CLASS_VIEW.as_posix()}"
    else:
        assert hub.landing_notebook(home, True) == "class"


# --- the live class ---------------------------------------------------------------------
@dataclass
class ClassRun:
    hub: hub.Hub
    learners: dict[str, dict]
    pids: dict[str, set[int]] = field(default_factory=dict)
    created: dict[int, float] = field(default_factory=dict)

    def remember(self, kind: str, *pids: int) -> None:
        for pid in pids:
            self.pids.setdefault(kind, set()).add(pid)
            with contextlib.suppress(psutil.Error):
                self.created[pid] = psutil.Process(pid).create_time()

    def driver(self) -> hub.ClassDriver:
        return hub.ClassDriver(self.hub.url, self.hub.settings.driver_token, timeout=600)


@pytest.fixture(scope="module")
def hub_class(tmp_path_factory):
    """The real hub and proxy on free loopback ports, in a temporary state folder."""
    _needs_the_proxy()
    state = tmp_path_factory.mktemp("hub")
    settings = hub.Settings(
        state=str(state),
        port=hub.free_port(),
        password="workshop-" + secrets.token_hex(4),
        admin_password=secrets.token_urlsafe(33),
        driver_token=secrets.token_hex(32),
        idle_timeout=3600,
        start_timeout=600,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "jupyterhub.log", "w") as log:
        the_hub = hub.Hub(settings, log=log)
        try:
            the_hub.start(timeout=240)
            yield the_hub
        finally:
            the_hub.stop()  # idempotent: the last test has stopped it and checked


@pytest.fixture(scope="module")
def class_run(hub_class):
    """Twenty learners at once: each starts their server, waits until it is ready, starts a
    kernel and does two exercises through the kernel's websocket, each saved by the exercise."""

    reconnects = []

    async def play() -> list[dict]:
        driver = hub.ClassDriver(hub_class.url, hub_class.settings.driver_token, timeout=600)
        try:
            await driver.create_users(LEARNERS)
            return await asyncio.gather(
                *(hub.learner_session(driver, n, i, ITEMS) for i, n in enumerate(LEARNERS))
            )
        finally:
            reconnects.append(driver.reconnects)

    t0 = time.monotonic()
    results = run_async(play())
    # what the class waited, for the record (test-artifacts/hub-class.json); never asserted
    (ARTIFACTS / "hub-class.json").write_text(
        json.dumps(
            {
                "learners": len(results),
                "all_ready_and_saved_s": round(time.monotonic() - t0, 1),
                "ready_s": sorted(round(r["ready_s"], 1) for r in results),
                "kernel_and_exercise_s": sorted(round(r["exercise_s"], 1) for r in results),
                "websocket_reconnects": sum(reconnects),
            },
            indent=2,
        )
    )
    run = ClassRun(hub_class, {r["name"]: r for r in results})
    run.remember("hub", hub_class.process.pid)
    proxy_pid = Path(hub_class.settings.state, "proxy.pid").read_text().strip()
    run.remember("proxy", int(proxy_pid))
    for r in results:
        run.remember("kernel", r["pid"])
        run.remember("server", r["ppid"])
    for p in hub.hub_processes(hub_class.settings.state):
        run.remember("any", p.pid)
    return run


def _needs_the_proxy():
    if not hub.PROXY_BIN.exists() and not os.environ.get("PIVOT_HUB_PROXY"):
        if IN_CI:
            pytest.fail("configurable-http-proxy is missing in CI: `make test` runs make hub-deps")
        pytest.skip("configurable-http-proxy is not installed: run `make hub-deps`")


@live
def test_make_hub_prints_how_to_log_in_and_make_hub_stop_leaves_nothing(tmp_path):
    """`make hub` (python -m pivot.hub) as an instructor runs it, then `make hub-stop`."""
    _needs_the_proxy()
    state, port = tmp_path / "state", hub.free_port()
    env = {**os.environ, "PIVOT_HUB_PASSWORD": "class-of-2026"}
    run = [sys.executable, "-m", "pivot.hub", "--state", str(state)]
    serving = subprocess.Popen(
        [*run, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(serving.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 240
        while not any("Stop it with" in line for line in lines) and time.monotonic() < deadline:
            assert serving.poll() is None, "".join(lines)[-3000:]
            time.sleep(0.5)
        out = "".join(lines)
        instructor = json.loads((state / "passwords.json").read_text())["instructor"]
        assert f"class hub is running: http://127.0.0.1:{port}" in out
        assert "workshop password: class-of-2026" in out and instructor in out
        assert str(state / "class") in out and "make hub-stop" in out
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/login", timeout=30) as r:
            assert r.status == 200
        running = hub.hub_processes(state)
        assert len(running) >= 3  # the hub, the proxy, the culler
        stop = subprocess.run([*run, "stop"], capture_output=True, text=True, timeout=180)
        assert stop.returncode == 0 and "The hub has stopped" in stop.stdout
        assert serving.wait(timeout=120) == 0
        reader.join(timeout=30)
        assert "no process of it is left" in "".join(lines)
        assert hub.hub_processes(state) == []
        assert [p.pid for p in running if _same_process_alive(p.pid, p.create_time())] == []
    finally:
        if serving.poll() is None:
            os.killpg(serving.pid, signal.SIGKILL)
        hub.end_processes(hub.hub_processes(state))


@live
def test_twenty_learners_start_run_an_exercise_and_save_at_once(class_run):
    class_folder = class_run.hub.settings.class_path
    assert sorted(class_run.learners) == LEARNERS
    for name, r in class_run.learners.items():
        assert r["saved"] == [f"Saved to your workbook ({name}.json)."] * 2, name
        assert Path(r["workbook"]) == class_folder / f"{name}.json"
        assert r["heading"].startswith("Where to start: Shift")
    # twenty servers and twenty kernels, each its own process, talking over Unix sockets (no
    # TCP ports for twenty kernels starting at once to collide on)
    assert len(class_run.pids["server"]) == len(class_run.pids["kernel"]) == N_LEARNERS
    assert {r["transport"] for r in class_run.learners.values()} == {"ipc"}


@live
def test_each_workbook_holds_its_learners_answers_and_only_theirs(class_run):
    folder = class_run.hub.settings.class_path
    assert sorted(p.stem for p in folder.glob("learner-*.json")) == LEARNERS
    for name, r in class_run.learners.items():
        path = folder / f"{name}.json"
        book = Workbook(path)
        assert book.notices == []
        assert set(book.entries()) == EXERCISES, name
        expected = r["answers"]
        sa = book.get("start.self_assessment")
        assert sa["ratings"] == expected["ratings"] and sa["note"] == expected["note"]
        ps = book.get("shift1.problem_statement")
        assert {k: ps[k] for k in expected["statement"]} == expected["statement"]
        text = path.read_text(encoding="utf-8")
        others = [other for other in LEARNERS if other != name and other in text]
        assert others == [], f"{name}'s workbook mentions {others}"
    # the ratings differ from learner to learner, so a mix-up could not go unnoticed
    assert len({json.dumps(r["answers"]["ratings"]) for r in class_run.learners.values()}) > 10


@live
def test_each_learner_has_their_own_copy_of_the_notebooks_and_the_course_settings(class_run):
    ada = class_run.learners["learner-00"]

    async def look():
        d = class_run.driver()
        paths = [
            "/api/contents",
            "/api/contents/my-notebooks",
            "/api/contents/my-notebooks/00-start",
            "/lab/api/settings/@jupyterlab/apputils-extension:notification",
        ]
        return [await d.server("learner-00", "GET", path, ada["token"]) for path in paths]

    (s1, home), (s2, mine), (s3, start), (s4, news) = run_async(look())
    assert (s1, s2, s3, s4) == (200, 200, 200, 200)
    assert {i["name"] for i in home["content"]} == {"my-notebooks", "book"}
    parts = {p.parts[0] for p in COURSE if p not in FOR_INSTRUCTOR}
    assert {i["name"] for i in mine["content"]} == parts  # not the instructor's notebooks
    assert "10-self-assessment.ipynb" in {i["name"] for i in start["content"]}
    users = Path(class_run.hub.settings.users_dir)
    assert (users / "learner-00" / "my-notebooks").is_dir()
    assert (users / "learner-01" / "my-notebooks").is_dir()  # a copy each, not a shared folder
    # JupyterLab merges the course's overrides.json into the defaults: no news pop-up
    defaults = news["schema"]["properties"]
    assert defaults["fetchNews"]["default"] == "false"
    assert defaults["checkForUpdates"]["default"] is False


@live
def test_one_learners_token_cannot_reach_another_learners_server(class_run):
    ada, bob = class_run.learners["learner-00"], class_run.learners["learner-01"]

    async def probe():
        d = class_run.driver()
        own = await d.server("learner-00", "GET", "/api/status", ada["token"])
        theirs = [
            await d.server("learner-01", "GET", "/api/status", ada["token"]),
            await d.server("learner-01", "GET", "/api/kernels", ada["token"]),
            await d.server("learner-01", "POST", "/api/kernels", ada["token"], {}),
            await d.server("learner-01", "GET", "/api/contents/my-notebooks", ada["token"]),
        ]
        hub_side = [
            await d.hub("GET", "/users/learner-01", token=ada["token"]),
            await d.hub("POST", "/users/learner-01/server", token=ada["token"]),
            await d.hub("POST", "/users/learner-01/tokens", {}, token=ada["token"]),
        ]
        try:
            await d.execute("learner-01", ada["token"], bob["kernel"], "print('in')")
            websocket = "opened"
        except Exception as e:  # refused before any code runs
            websocket = getattr(e, "code", repr(e))
        return own, theirs, hub_side, websocket

    own, theirs, hub_side, websocket = run_async(probe())
    assert own[0] == 200  # the token works on its own server, so the refusals below mean it
    assert [s for s, _ in theirs] == [403] * 4
    assert all(s in (403, 404) for s, _ in hub_side), hub_side
    assert websocket == 403


@live
def test_a_learner_whose_server_is_stopped_and_started_again_finds_their_answers(class_run):
    name = "learner-03"
    before = class_run.learners[name]

    async def come_back():
        d = class_run.driver()
        await d.stop_server(name)
        await d.start_server(name)
        kernel = await d.start_kernel(name, before["token"])
        out = await d.execute(name, before["token"], kernel, hub.RESTORE_CODE)
        return json.loads(out.strip().splitlines()[-1])

    after = run_async(come_back())
    class_run.remember("kernel", after["pid"])
    class_run.remember("server", after["ppid"])
    assert after["ppid"] != before["ppid"], "a new server"
    assert after["ratings"] == before["answers"]["ratings"]
    assert after["note"] == before["answers"]["note"]
    assert after["statement"] == before["answers"]["statement"]
    assert "Welcome back" in after["status"]


@pytest.fixture(scope="module")
def chromium():
    exe = chromium_path()
    if exe is None:
        if IN_CI:
            pytest.fail("Chromium is missing in CI: `make test` installs the 'chromium' package")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
    args += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=args)
        try:
            yield browser
        finally:
            browser.close()


def hub_page(browser, base: str):
    """A page that may reach the hub only; every other request is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.blocked = []

    def route(r):
        if r.request.url.startswith((base + "/", "data:", "blob:")):
            r.continue_()
        else:
            page.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return context, page


def log_in(page, base: str, name: str, password: str) -> None:
    page.goto(f"{base}/hub/login", timeout=120_000)
    page.get_by_text(f"User names: {hub.USERNAME_RULE}.").wait_for(timeout=30_000)
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()


@live
def test_a_learner_logs_in_through_the_hub_uses_an_exercise_and_sees_it_saved(class_run, chromium):
    base, settings = class_run.hub.url, class_run.hub.settings
    context, page = hub_page(chromium, base)
    try:
        log_in(page, base, IN_BROWSER, settings.password)
        # the hub starts their server and opens their copy of the first notebook
        landing = re.escape(hub.landing_notebook(Path("."), instructor=False))
        page.wait_for_url(re.compile(rf"/user/{IN_BROWSER}/lab/tree/{landing}"), timeout=300_000)
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=180_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.get_by_text("Run All Cells", exact=True).click()
        area = page.locator(".jp-OutputArea-output").filter(has=page.locator(".pivot-feedback"))
        area.first.wait_for(timeout=180_000)
        radio = area.first.locator(".widget-radio-box input[type=radio]:not(:checked)")
        radio.first.click()
        area.first.get_by_text(f"Saved to your workbook ({IN_BROWSER}.json)").wait_for(
            timeout=60_000
        )
        screenshot(page, "hub-learner-saved")
        saved = Workbook(settings.class_path / f"{IN_BROWSER}.json").get("start.self_assessment")
        assert saved is not None and any(v != 3 for v in saved["ratings"].values())
        assert page.blocked == [], f"requests beyond the hub: {page.blocked[:5]}"
    finally:
        context.close()


@live
def test_the_instructor_logs_in_to_the_class_view(class_run, chromium):
    base, settings = class_run.hub.url, class_run.hub.settings

    async def their_lab():
        d = class_run.driver()
        await d.start_server(hub.INSTRUCTOR)
        token = await d.token_for(hub.INSTRUCTOR)
        folder = await d.server(hub.INSTRUCTOR, "GET", "/api/contents/class", token)
        views = [
            await d.server(hub.INSTRUCTOR, "GET", f"/api/contents/my-notebooks/{p}", token)
            for p in FOR_INSTRUCTOR
        ]
        return folder, views

    # their own JupyterLab has the class folder, with every learner's workbook in it, and the
    # instructor's notebooks (the class view)
    (status, folder), views = run_async(their_lab())
    assert [s for s, _ in views] == [200] * len(FOR_INSTRUCTOR)
    assert status == 200
    names = {item["name"] for item in folder["content"]}
    assert {f"{n}.json" for n in LEARNERS} <= names
    assert not any(n.startswith(".") for n in names)  # lock files stay hidden

    context, page = hub_page(chromium, base)
    try:
        # the learners' password does not make anyone the instructor
        log_in(page, base, hub.INSTRUCTOR, settings.password)
        page.get_by_text(re.compile("Invalid username or password", re.I)).wait_for(timeout=60_000)
        log_in(page, base, hub.INSTRUCTOR, settings.admin_password)
        # the hub's admin page: every learner, their server, their last activity
        page.wait_for_url(re.compile(r"/hub/admin"), timeout=120_000)
        page.get_by_text("learner-19").first.wait_for(timeout=60_000)
        screenshot(page, "hub-instructor-admin")
        # their own JupyterLab opens the class view (or the class folder without one)
        home = Path(settings.users_dir) / hub.INSTRUCTOR
        landing = hub.landing_notebook(home, instructor=True)
        page.goto(f"{base}/user/{hub.INSTRUCTOR}/", timeout=120_000)
        lab_url = re.compile(rf"/user/{hub.INSTRUCTOR}/lab/tree/{re.escape(landing)}")
        page.wait_for_url(lab_url, timeout=180_000)
        opened = ".jp-NotebookPanel" if landing.endswith(".ipynb") else ".jp-DirListing-item"
        page.locator(opened).first.wait_for(timeout=180_000)
        page.wait_for_timeout(1000)
        screenshot(page, "hub-instructor-lab")
    finally:
        context.close()


@live
def test_idle_servers_are_culled(class_run):
    """The hub runs jupyterhub-idle-culler with the configured timeout; the same culler with a
    timeout of a few seconds stops every server idle that long (the class's, at the end)."""
    state = class_run.hub.settings.state
    culler = [p for p in hub.hub_processes(state) if "jupyterhub_idle_culler" in p.cmdline()]
    assert len(culler) == 1 and "--timeout=3600" in culler[0].cmdline()
    env = {
        **os.environ,
        "JUPYTERHUB_API_TOKEN": class_run.hub.settings.driver_token,
        "JUPYTERHUB_API_URL": class_run.hub.api_url,
        hub.MARKER: state,
    }
    quick = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            "--timeout=2",
            "--cull-every=2",
            "--concurrency=30",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    async def running() -> list[str]:
        _, users = await class_run.driver().hub("GET", "/users?state=active")
        return [u["name"] for u in users or []]

    try:
        assert run_async(running())  # the class's servers are running now
        deadline = time.monotonic() + 240
        while run_async(running()) and time.monotonic() < deadline:
            time.sleep(2)
        assert run_async(running()) == []
    finally:
        quick.terminate()
        quick.wait(timeout=30)


@live
def test_stopping_the_hub_leaves_no_hub_proxy_server_or_kernel(class_run):
    the_hub, state = class_run.hub, class_run.hub.settings.state
    before = {p.pid for p in hub.hub_processes(state)}
    assert the_hub.process.pid in before
    assert class_run.pids["proxy"] <= before, "the proxy was running"
    port = the_hub.settings.port
    left = the_hub.stop()
    assert left == []
    assert the_hub.process.poll() is not None
    remembered = set().union(*class_run.pids.values()) | before
    still = [pid for pid in remembered if _same_process_alive(pid, class_run.created.get(pid))]
    assert still == [], f"still running: {[_describe(pid) for pid in still]}"
    assert hub.hub_processes(state) == []
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "nothing listens on the hub's port"


def _same_process_alive(pid: int, created: float | None) -> bool:
    try:
        p = psutil.Process(pid)
        if created is not None and p.create_time() != created:
            return False  # the PID was reused by an unrelated process
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _describe(pid: int) -> str:
    try:
        return f"{pid} {' '.join(psutil.Process(pid).cmdline())[:120]}"
    except psutil.Error:
        return str(pid)
