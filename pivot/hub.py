"""Run the course for a class on a real JupyterHub on this machine (``make hub``).

It also makes the nbgitpuller links that hand the course out on any other hub (``links``).

    python -m pivot.hub                         # as `make hub` does: http://127.0.0.1:8800
    python -m pivot.hub --ip 0.0.0.0 --port 8000 --idle-timeout 1800
    python -m pivot.hub stop                    # stop a hub started from another terminal
    python -m pivot.hub links --hub https://hub.example.org --repo https://github.com/o/pivot

What a class gets:

- **JupyterHub** (pinned in ``requirements.txt``) behind **configurable-http-proxy** (pinned in
  ``hub/package.json`` and ``hub/package-lock.json``, installed from npm into ``.hub/proxy/`` by
  ``make hub-deps``), on loopback by default.
  The hub's own API and the proxy's API listen on free loopback ports picked at each start.
- **A shared workshop password** (JupyterHub's ``SharedPasswordAuthenticator``): anyone with it
  picks a user name and logs in. The instructor logs in as ``instructor`` with a separate, longer
  password and is a JupyterHub admin. Both are made on the first run and kept in the state folder
  (``.hub/passwords.json``, readable by you only); ``PIVOT_HUB_PASSWORD`` sets the learners' one.
- **A local spawner**: :class:`CourseSpawner`, JupyterHub's ``SimpleLocalProcessSpawner`` with the
  course added. It runs every learner's server as a process of the user who ran ``make hub``, so it
  needs no system accounts, no root and no containers: right for a workshop on one trusted
  machine, and wrong where learners must be protected from each other (their code can read each
  other's files). For that, use The Littlest JupyterHub, which makes a system user per learner
  (the instructor guide explains it). Run as root, the single-user server needs ``--allow-root``,
  which the spawner adds.
- **Per learner**: a home folder ``.hub/users/<name>/`` with their own working copy of the
  notebooks, ``my-notebooks/`` (made as :mod:`pivot.lab` makes it: course updates add new
  notebooks and never overwrite one the learner has), the course's ``book/`` beside it so the
  notebooks' links work, the course's JupyterLab settings (``lab-settings/overrides.json``: no news
  pop-up, no update check), and their workbook in the class folder (``PIVOT_WORKBOOK_DIR``, with
  ``PIVOT_LEARNER`` set to their hub user name, so ``<class folder>/<name>.json``).
  They land in the first notebook.
- **The instructor** lands on the hub's admin page (every learner, whether their server runs, when
  they were last active; stop or open any server); their own JupyterLab opens the class view
  notebook (``notebooks/instructor/class-view.ipynb``, the class's answers side by side), with
  the class folder linked beside it. Learners' copies leave out ``notebooks/instructor/``.
- **Idle servers are culled** by ``jupyterhub-idle-culler`` after ``--idle-timeout`` seconds.

Stopping (Ctrl-C, ``python -m pivot.hub stop``, or SIGTERM) stops JupyterHub, which stops every
server and the proxy; then every process that carries this hub's marker in its environment
(``PIVOT_HUB_STATE``: servers, kernels, proxy, culler) and is still running is ended, so nothing is
left behind.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pivot import lab

ROOT = lab.ROOT
HUB_DIR = ROOT / "hub"
CONFIG_FILE = HUB_DIR / "jupyterhub_config.py"
DEFAULT_STATE = ROOT / ".hub"
#: ``make hub-deps`` installs the pinned proxy here (in a dot folder, which the book skips).
PROXY_BIN = DEFAULT_STATE / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
#: The environment variable every process of one hub carries (its state folder).
MARKER = "PIVOT_HUB_STATE"
INSTRUCTOR = "instructor"
#: SharedPasswordAuthenticator's minimum lengths (user password, admin password).
MIN_PASSWORD, MIN_ADMIN_PASSWORD = 8, 32
#: Hub user names the course can use as they are: the workbook file is ``<name>.json`` with any
#: character outside ``[A-Za-z0-9._-]`` replaced and dots and underscores at the ends stripped
#: (pivot.workbook), so without this rule "ada l" and "ada_l" would share one workbook.
USERNAME_PATTERN = r"^[a-z0-9](?:[a-z0-9_-]{0,30}[a-z0-9])?$"
USERNAME_RULE = "lower-case letters, digits, - and _ (for example ada or grace-h)"
WORKING_COPY = "my-notebooks"
#: /tmp rather than $TMPDIR, which can be long (macOS): see :func:`runtime_root`.
RUNTIME_BASE = Path("/tmp") if os.path.isdir("/tmp") else Path(tempfile.gettempdir())
CLASS_LINK = "class"
#: The course's notebooks for the instructor only, and the class view among them.
INSTRUCTOR_NOTEBOOKS = "instructor"
CLASS_VIEW = Path(INSTRUCTOR_NOTEBOOKS) / "class-view.ipynb"
#: Scopes of the idle culler (its README lists these four for culling servers only).
CULLER_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]
#: Scopes of a driver service (tests, benchmarks) that makes users, starts and stops their
#: servers, makes tokens for them and reaches their servers.
DRIVER_SCOPES = ["admin:users", "admin:servers", "tokens", "access:servers"]


# --- settings -----------------------------------------------------------------------------
@dataclass
class Settings:
    """Everything one hub needs; written to ``<state>/settings.json`` for the config file."""

    state: str
    ip: str = "127.0.0.1"
    port: int = 8800
    hub_port: int = 0
    proxy_api_port: int = 0
    class_dir: str = ""
    password: str = ""
    admin_password: str = ""
    idle_timeout: int = 3600
    cull_every: int = 60
    learners: list[str] = field(default_factory=list)
    driver_token: str = ""
    proxy: str = ""
    singleuser: str = ""
    start_timeout: int = 300
    log_level: str = "INFO"

    @property
    def state_dir(self) -> Path:
        return Path(self.state)

    @property
    def users_dir(self) -> Path:
        return self.state_dir / "users"

    @property
    def class_path(self) -> Path:
        return Path(self.class_dir) if self.class_dir else self.state_dir / "class"

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.ip in ("", "0.0.0.0") else self.ip
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def save(self) -> Path:
        path = self.state_dir / "settings.json"
        _write_private(path, json.dumps(asdict(self), indent=2))
        return path

    @classmethod
    def load(cls, state: str | os.PathLike) -> Settings:
        data = json.loads((Path(state) / "settings.json").read_text(encoding="utf-8"))
        return cls(**data)


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def passwords(state: Path, environ: Mapping[str, str] = os.environ) -> tuple[str, str]:
    """(learners' password, instructor's password): ``PIVOT_HUB_PASSWORD`` if set, else the ones
    kept in ``<state>/passwords.json``, else new ones (saved there, mode 0600)."""
    path = state / "passwords.json"
    kept: dict[str, str] = {}
    with contextlib.suppress(OSError, ValueError):
        kept = json.loads(path.read_text(encoding="utf-8"))
    user = environ.get("PIVOT_HUB_PASSWORD", "").strip() or kept.get("learners", "")
    admin = environ.get("PIVOT_HUB_ADMIN_PASSWORD", "").strip() or kept.get("instructor", "")
    if not user:
        user = "-".join(secrets.token_hex(2) for _ in range(3))  # e.g. 3f2a-9c01-77be
    if len(admin) < MIN_ADMIN_PASSWORD or admin == user:
        admin = secrets.token_urlsafe(33)
    if len(user) < MIN_PASSWORD:
        raise SystemExit(
            f"The workshop password must be at least {MIN_PASSWORD} characters "
            f"(JupyterHub refuses shorter ones); PIVOT_HUB_PASSWORD has {len(user)}."
        )
    if kept != {"learners": user, "instructor": admin}:
        _write_private(path, json.dumps({"learners": user, "instructor": admin}, indent=2))
    return user, admin


def free_port(ip: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


#: Learners' servers listen on ports below Linux's ephemeral range (32768 to 60999), which is
#: where a TCP kernel or any other program asking for "a free port" gets one: JupyterHub's own
#: choice (a free port from that range) could be taken by such a socket between the choice and
#: the server's start, and the hub then waits in vain for a server that is not there.
SERVER_PORTS = range(20000, 32768)


def server_port(ip: str = "127.0.0.1", ports: range = SERVER_PORTS) -> int:
    """A port in ``ports`` that is free now (any free port if none of 200 tries is)."""
    pick = secrets.SystemRandom()
    for _ in range(200):
        port = pick.choice(ports)
        if port_is_free(ip, port):
            return port
    return free_port(ip)


def port_is_free(ip: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((ip or "0.0.0.0", port))
        except OSError:
            return False
        return True


def find_proxy() -> str:
    """configurable-http-proxy: ``PIVOT_HUB_PROXY``, the copy ``make hub-deps`` installs in
    ``.hub/proxy/``, or one on the PATH."""
    configured = os.environ.get("PIVOT_HUB_PROXY", "").strip()
    if configured:
        return configured
    if PROXY_BIN.exists():
        return str(PROXY_BIN)
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    raise SystemExit(
        "configurable-http-proxy is not installed: run `make hub-deps` (it installs the pinned "
        "version from npm into .hub/proxy/)."
    )


# --- the spawner --------------------------------------------------------------------------
def _spawner_base():
    from jupyterhub.spawner import SimpleLocalProcessSpawner

    return SimpleLocalProcessSpawner


class CourseSpawner(_spawner_base()):  # type: ignore[misc]
    """SimpleLocalProcessSpawner plus the course: a home per learner under the state folder, their
    working copy of the notebooks, the course's JupyterLab settings, their workbook in the class
    folder, and the first notebook open (the instructor: the class folder)."""

    def _settings(self) -> Settings:
        return Settings.load(os.environ[MARKER])

    def is_instructor(self) -> bool:
        return bool(self.user.admin)

    async def start(self):
        settings = self._settings()
        home = Path(self.home_dir)
        await asyncio.to_thread(prepare_home, home, settings, self.is_instructor())
        self.notebook_dir = str(home)
        self.default_url = f"/lab/tree/{landing_notebook(home, self.is_instructor())}"
        self.port = server_port(self.ip or "127.0.0.1")
        return await super().start()

    def get_env(self):
        env = super().get_env()
        settings = self._settings()
        env.pop("PIVOT_WORKBOOK", None)
        env.update(
            {
                MARKER: settings.state,
                "PIVOT_WORKBOOK_DIR": str(settings.class_path),
                "PIVOT_LEARNER": self.user.name,
                "PIVOT_NOTEBOOKS_DIR": str(Path(self.home_dir) / WORKING_COPY),
                "JUPYTER_RUNTIME_DIR": str(runtime_dir(settings, self.user.id)),
            }
        )
        return env

    def get_args(self):
        args = super().get_args()
        args.append(f"--LabApp.app_settings_dir={lab.SETTINGS}")
        # Kernels talk to their server over Unix sockets, not TCP ports: twenty kernels starting
        # at once on one machine can pick the same free TCP port (jupyter_client issue 487),
        # and the kernel that loses never starts.
        args.append("--KernelManager.transport=ipc")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        return args


def runtime_root(settings: Settings) -> Path:
    """Where this hub's servers keep their kernels' connection files and sockets: a short path
    (a Unix socket's path may not be longer than about 100 characters), private to this hub."""
    digest = hashlib.sha1(settings.state.encode()).hexdigest()[:10]
    return RUNTIME_BASE / f"pivot-hub-{digest}"


def runtime_dir(settings: Settings, user_id: int) -> Path:
    """A learner's runtime folder under :func:`runtime_root`, which must be a real folder of
    ours, closed to others (it holds the keys that let a client run code in the kernels)."""
    root = runtime_root(settings)
    with contextlib.suppress(FileExistsError):
        root.mkdir(mode=0o700)
    st = os.lstat(root)
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        raise RuntimeError(f"{root} is not a folder of this user's: remove it and start again")
    os.chmod(root, 0o700)
    folder = root / str(user_id)
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def prepare_home(home: Path, settings: Settings, instructor: bool = False) -> None:
    """A learner's home: their working copy of the notebooks, the course's ``book/`` beside it
    (the notebooks link to ``../../book/…``), and for the instructor a link to the class folder."""
    home.mkdir(parents=True, exist_ok=True)
    settings.class_path.mkdir(parents=True, exist_ok=True)
    copy_notebooks(home / WORKING_COPY, instructor)
    _link(home / "book", ROOT / "book")
    if instructor:
        _link(home / CLASS_LINK, settings.class_path)


def copy_notebooks(dest: Path, instructor: bool = False) -> lab.CopyReport:
    """The course's notebooks this person does not have yet, copied as :func:`pivot.lab.
    working_copy` copies them (never over one they have, without the instructor notes); the
    instructor's own notebooks (``notebooks/instructor/``, such as the class view) go to the
    instructor only."""
    return lab.working_copy(
        dest, include=lambda rel: instructor or rel.parts[0] != INSTRUCTOR_NOTEBOOKS
    )


def landing_notebook(home: Path, instructor: bool = False) -> str:
    """Where JupyterLab opens: the first notebook for a learner; the class view notebook for the
    instructor (the class folder itself if the course has no class view)."""
    if instructor:
        view = home / WORKING_COPY / CLASS_VIEW
        return f"{WORKING_COPY}/{CLASS_VIEW.as_posix()}" if view.exists() else CLASS_LINK
    return f"{WORKING_COPY}/{lab.FIRST_NOTEBOOK.as_posix()}"


def _link(link: Path, target: Path) -> None:
    if link.is_symlink() and Path(os.readlink(link)) == target:
        return
    if link.is_symlink():
        link.unlink()
    if not link.exists():
        link.symlink_to(target, target_is_directory=True)


# --- the configuration (read by hub/jupyterhub_config.py) ---------------------------------
def configure(c, settings: Settings | None = None) -> None:
    """Fill JupyterHub's config object ``c`` for the class described by ``settings`` (by default
    the ones in ``$PIVOT_HUB_STATE/settings.json``)."""
    settings = settings or Settings.load(os.environ[MARKER])
    state = settings.state_dir
    python = sys.executable
    c.JupyterHub.ip = settings.ip
    c.JupyterHub.port = settings.port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = settings.hub_port
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
    c.JupyterHub.log_level = settings.log_level
    c.JupyterHub.cleanup_servers = True
    c.JupyterHub.cleanup_proxy = True
    c.JupyterHub.default_url = _landing

    c.ConfigurableHTTPProxy.command = [settings.proxy]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = settings.password
    c.SharedPasswordAuthenticator.admin_password = settings.admin_password
    c.Authenticator.admin_users = {INSTRUCTOR}
    c.Authenticator.username_pattern = USERNAME_PATTERN
    c.JupyterHub.template_vars = {"announcement_login": f"User names: {USERNAME_RULE}."}
    if settings.learners:
        c.Authenticator.allowed_users = set(settings.learners)
    else:
        c.Authenticator.allow_all = True

    c.JupyterHub.spawner_class = "pivot.hub.CourseSpawner"
    c.Spawner.cmd = [settings.singleuser or str(Path(python).with_name("jupyterhub-singleuser"))]
    c.Spawner.ip = "127.0.0.1"
    c.SimpleLocalProcessSpawner.home_dir_template = str(settings.users_dir / "{username}")
    c.Spawner.start_timeout = settings.start_timeout
    c.Spawner.http_timeout = settings.start_timeout
    c.Spawner.environment = {MARKER: settings.state}

    services = [
        {
            "name": "idle-culler",
            "command": [
                python,
                "-m",
                "jupyterhub_idle_culler",
                f"--timeout={settings.idle_timeout}",
                f"--cull-every={settings.cull_every}",
            ],
            "environment": {MARKER: settings.state},
        }
    ]
    roles = [{"name": "idle-culler", "scopes": CULLER_SCOPES, "services": ["idle-culler"]}]
    if settings.driver_token:
        services.append({"name": "pivot-driver", "api_token": settings.driver_token})
        roles.append(
            {"name": "pivot-driver", "scopes": DRIVER_SCOPES, "services": ["pivot-driver"]}
        )
    c.JupyterHub.services = services
    c.JupyterHub.load_roles = roles


def _landing(handler) -> str | None:
    """After login: the instructor goes to the hub's admin page (the class view); learners to
    their own server (JupyterHub's default)."""
    user = handler.current_user
    if user is not None and user.admin:
        return f"{handler.hub.base_url}admin"
    return None


# --- running a hub ------------------------------------------------------------------------
def hub_processes(state: str | os.PathLike) -> list:
    """Every running process that carries this hub's marker (``PIVOT_HUB_STATE=<state>``):
    JupyterHub, the proxy, the culler, every learner's server and kernel."""
    import psutil

    state = str(state)
    me = os.getpid()
    found = []
    for p in psutil.process_iter(["pid"]):
        if p.pid == me:
            continue
        try:
            if p.environ().get(MARKER) == state and p.status() != psutil.STATUS_ZOMBIE:
                found.append(p)
        except (psutil.Error, OSError):
            continue
    return found


def end_processes(procs: Iterable, grace: float = 10.0) -> list:
    """SIGTERM, then SIGKILL after ``grace`` seconds; return the ones that would not go."""
    import psutil

    procs = list(procs)
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _gone, alive = psutil.wait_procs(procs, timeout=grace)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    _gone, alive = psutil.wait_procs(alive, timeout=grace)
    return alive


class Hub:
    """One JupyterHub for a class: ``start()``, ``url``, ``api()``, ``stop()``.

    Used by ``python -m pivot.hub``, the tests and the benchmarks."""

    def __init__(self, settings: Settings, log=None):
        self.settings = settings
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return self.settings.url

    @property
    def api_url(self) -> str:
        return f"{self.url}/hub/api"

    def start(self, timeout: float = 120.0) -> Hub:
        s = self.settings
        s.state_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(s.state_dir, 0o700)
        s.class_path.mkdir(parents=True, exist_ok=True)
        if not port_is_free(s.ip, s.port):
            raise SystemExit(f"Port {s.port} on {s.ip or 'every address'} is taken: use --port.")
        s.hub_port = s.hub_port or free_port()
        s.proxy_api_port = s.proxy_api_port or free_port()
        s.proxy = s.proxy or find_proxy()
        s.save()
        env = dict(os.environ)
        env[MARKER] = s.state
        env.pop("PIVOT_WORKBOOK", None)
        jupyterhub = Path(sys.executable).with_name("jupyterhub")
        self.process = subprocess.Popen(
            [str(jupyterhub), "-f", str(CONFIG_FILE)],
            cwd=s.state,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT if self.log is not None else None,
            start_new_session=True,  # Ctrl-C reaches us, and we stop the hub in order
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/", timeout=5) as r:
                    if r.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"JupyterHub did not answer within {timeout:.0f} s")

    def api(self, method: str, path: str, body=None, token: str | None = None):
        """(status, JSON body) of a hub API call with the driver service's token."""
        token = token or self.settings.driver_token
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.api_url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                text = r.read().decode()
                return r.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as e:
            return e.code, None

    def stop(self, timeout: float = 60.0) -> list:
        """Stop JupyterHub (it stops every server and the proxy), then end whatever of this hub
        is still running. Returns the processes that would not end (none, normally)."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        # Kernels outlive their server by a few seconds: give them that, then end the rest.
        deadline = time.monotonic() + 10
        while hub_processes(self.settings.state) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = end_processes(hub_processes(self.settings.state))
        if not left:
            shutil.rmtree(runtime_root(self.settings), ignore_errors=True)
        return left


def serve(args: argparse.Namespace) -> int:
    state = Path(args.state).resolve()
    state.mkdir(parents=True, exist_ok=True)
    if hub_processes(state):
        print(f"A hub is already running from {state}; stop it with `make hub-stop`.")
        return 1
    if not port_is_free(args.ip, args.port):
        print(f"Port {args.port} on {args.ip or 'every address'} is taken: choose another one")
        print("(make hub HUB_PORT=8801, or python -m pivot.hub --port 8801).")
        return 2
    user_pw, admin_pw = passwords(state)
    settings = Settings(
        state=str(state),
        ip=args.ip,
        port=args.port,
        class_dir=str(Path(args.class_dir).resolve()) if args.class_dir else "",
        password=user_pw,
        admin_password=admin_pw,
        idle_timeout=args.idle_timeout,
        learners=[n.strip().lower() for n in (args.learners or "").split(",") if n.strip()],
    )
    bad = [n for n in settings.learners if not re.match(USERNAME_PATTERN, n)]
    if bad:
        print(f"These names cannot be hub user names ({USERNAME_RULE}): {', '.join(bad)}")
        return 2
    hub = Hub(settings)
    stopping = False

    def on_signal(signum, _frame):
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        hub.start()
        print(_banner(settings), flush=True)
        while hub.process is not None and hub.process.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping the hub, every learner's server and the proxy…", flush=True)
    finally:
        if hub.process is not None:
            left = hub.stop()
            if left:
                print(f"Could not end {len(left)} process(es): {[p.pid for p in left]}")
            else:
                print("The hub has stopped; no process of it is left.", flush=True)
    return 0


def _banner(s: Settings) -> str:
    who = ", ".join(s.learners) if s.learners else "any name they choose"
    return "\n".join(
        [
            "",
            f"The Pivot's class hub is running: {s.url}",
            *(
                [f"  Learners on the network use this machine's address, port {s.port}."]
                if s.ip in ("", "0.0.0.0", "::")
                else []
            ),
            f"  Learners log in with {who} and the workshop password: {s.password}",
            f"  The instructor logs in as '{INSTRUCTOR}' with: {s.admin_password}",
            f"  Workbooks are saved in the class folder {s.class_path}",
            f"  Idle servers stop after {s.idle_timeout} s without activity.",
            f"  Passwords are kept in {s.state_dir / 'passwords.json'} (readable by you only).",
            "Stop it with Ctrl-C here, or `make hub-stop` from another terminal.",
            "",
        ]
    )


def stop_command(args: argparse.Namespace) -> int:
    state = Path(args.state).resolve()
    procs = hub_processes(state)
    if not procs:
        print(f"No hub is running from {state}.")
        return 0
    pid_file = state / "jupyterhub.pid"
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
    deadline = time.monotonic() + 60
    while hub_processes(state) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = end_processes(hub_processes(state))
    print("The hub has stopped." if not left else f"Could not end {[p.pid for p in left]}.")
    return 1 if left else 0


# --- simulated learners (the tests and bench/hub.py) --------------------------------------
class KernelError(RuntimeError):
    """Code sent to a learner's kernel raised an exception."""


class ClassDriver:
    """Plays learners through the hub's REST API and their kernels' websockets, as a browser
    would: the driver service's token (``Settings.driver_token``) on the hub's side and each
    learner's own token for their server."""

    def __init__(self, hub_url: str, token: str, timeout: float = 600.0):
        from tornado.httpclient import AsyncHTTPClient

        AsyncHTTPClient.configure(None, max_clients=100)
        self.client = AsyncHTTPClient()
        self.hub_url = hub_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.reconnects = 0

    async def request(self, method: str, url: str, token: str | None = None, body=None):
        """(status, parsed JSON or None); never raises for an HTTP status."""
        from tornado.httpclient import HTTPClientError, HTTPRequest

        req = HTTPRequest(
            url,
            method=method,
            headers={"Authorization": f"token {token or self.token}"},
            body=None if body is None and method in ("GET", "DELETE") else json.dumps(body or {}),
            request_timeout=self.timeout,
            follow_redirects=False,
            allow_nonstandard_methods=True,
        )
        try:
            r = await self.client.fetch(req)
        except HTTPClientError as e:
            return e.code, None
        text = r.body.decode() if r.body else ""
        return r.code, (json.loads(text) if text.strip() else None)

    async def hub(self, method: str, path: str, body=None, token: str | None = None):
        return await self.request(method, f"{self.hub_url}/hub/api{path}", token, body)

    async def server(self, name: str, method: str, path: str, token: str, body=None):
        return await self.request(method, f"{self.hub_url}/user/{name}{path}", token, body)

    async def create_users(self, names: list[str]) -> None:
        status, _ = await self.hub("POST", "/users", {"usernames": names})
        if status not in (201, 409):
            raise RuntimeError(f"creating {len(names)} users answered {status}")

    async def start_server(self, name: str, poll: float = 1.0) -> float:
        """Ask for the learner's server and wait until the hub says it is ready; the seconds
        from the request to ready. (Under load the hub answers 202 and starts it later.)"""
        t0 = time.monotonic()
        status, _ = await self.hub("POST", f"/users/{name}/server")
        if status not in (201, 202, 400):  # 400: it is already running
            raise RuntimeError(f"starting {name}'s server answered {status}")
        while time.monotonic() - t0 < self.timeout:
            _status, user = await self.hub("GET", f"/users/{name}")
            server = (user or {}).get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - t0
            if user is not None and not server and not user.get("pending"):
                raise RuntimeError(f"{name}'s server stopped while starting")
            await asyncio.sleep(poll)
        raise TimeoutError(f"{name}'s server was not ready within {self.timeout:.0f} s")

    async def stop_server(self, name: str, poll: float = 1.0) -> None:
        await self.hub("DELETE", f"/users/{name}/server")
        t0 = time.monotonic()
        while time.monotonic() - t0 < self.timeout:
            _, user = await self.hub("GET", f"/users/{name}")
            if not (user or {}).get("servers") and not (user or {}).get("pending"):
                return
            await asyncio.sleep(poll)
        raise TimeoutError(f"{name}'s server did not stop within {self.timeout:.0f} s")

    async def token_for(self, name: str) -> str:
        status, body = await self.hub(
            "POST", f"/users/{name}/tokens", {"note": "class rehearsal", "expires_in": 7200}
        )
        if status != 201:
            raise RuntimeError(f"a token for {name} answered {status}")
        return body["token"]

    async def start_kernel(self, name: str, token: str) -> str:
        status, body = await self.server(name, "POST", "/api/kernels", token, {"name": "python3"})
        if status != 201:
            raise RuntimeError(f"starting a kernel for {name} answered {status}")
        return body["id"]

    async def execute(
        self, name: str, token: str, kernel: str, code: str, attempts: int = 3
    ) -> str:
        """Run ``code`` in the kernel through its websocket, as JupyterLab does; its stdout.

        A websocket that closes before the reply (a busy server can drop one, as a browser's
        can) is opened again and the code sent again, as JupyterLab reconnects; the code sent
        here sets the same values each time, so running it twice is harmless."""
        for attempt in range(1, attempts + 1):
            try:
                return await self._execute_once(name, token, kernel, code)
            except ConnectionError:
                if attempt == attempts:
                    raise
                self.reconnects += 1
                await asyncio.sleep(2 * attempt)
        raise AssertionError("unreachable")

    async def _execute_once(self, name: str, token: str, kernel: str, code: str) -> str:
        import uuid

        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        session = uuid.uuid4().hex
        ws_url = self.hub_url.replace("http", "ws", 1)
        req = HTTPRequest(
            f"{ws_url}/user/{name}/api/kernels/{kernel}/channels?session_id={session}",
            headers={"Authorization": f"token {token}"},
            request_timeout=self.timeout,
        )
        conn = await websocket_connect(req)
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "username": name,
            "session": session,
            "msg_type": "execute_request",
            "version": "5.3",
        }
        content = {
            "code": code,
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content}
        await conn.write_message(json.dumps({**message, "channel": "shell", "buffers": []}))
        out: list[str] = []
        replied = idle = False
        try:
            while not (replied and idle):
                raw = await asyncio.wait_for(conn.read_message(), self.timeout)
                if raw is None:
                    raise ConnectionError(f"{name}'s kernel websocket closed")
                if isinstance(raw, bytes):
                    continue
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, body = msg.get("msg_type"), msg.get("content", {})
                if kind == "stream" and body.get("name") == "stdout":
                    out.append(body["text"])
                elif kind == "error":
                    raise KernelError(f"{body.get('ename')}: {body.get('evalue')}")
                elif kind == "execute_reply":
                    replied = True
                elif kind == "status" and body.get("execution_state") == "idle":
                    idle = True
        finally:
            conn.close()
        return "".join(out)


#: What a simulated learner does in their kernel: the self-assessment (twelve ratings and a
#: note) and the problem statement, each saved to their workbook by the exercise itself.
EXERCISE_CODE = """
import json, os
from ipykernel.connect import get_connection_info
from pivot import workbook
from pivot.exercises import ProblemStatement, SelfAssessment
sa = SelfAssessment()
for item, value in {ratings!r}.items():
    sa.inputs[item].value = value
sa.note.value = {note!r}
ps = ProblemStatement()
for key, value in {statement!r}.items():
    ps.inputs[key].value = value
print(json.dumps({{
    "pid": os.getpid(), "ppid": os.getppid(), "workbook": str(workbook.current().path),
    "saved": [sa.save_control.text, ps.save_control.text], "heading": sa.feedback.heading,
    "transport": get_connection_info(unpack=True)["transport"],
}}))
"""

#: What a learner finds when they come back: the two exercises rebuilt from their workbook.
RESTORE_CODE = """
import json, os
from pivot.exercises import ProblemStatement, SelfAssessment
sa, ps = SelfAssessment(), ProblemStatement()
print(json.dumps({
    "pid": os.getpid(), "ppid": os.getppid(),
    "ratings": {k: w.value for k, w in sa.inputs.items()}, "note": sa.note.value,
    "statement": ps.values(), "status": sa.save_control.status.value,
}))
"""


def learner_answers(name: str, index: int, items: list[str]) -> dict:
    """A learner's own answers: ratings, a note and a problem statement that no other learner
    of the class gives (they carry the name, and the ratings follow a pattern set by
    ``index``)."""
    ratings = {item: 1 + (index * 7 + k * (index % 4 + 1)) % 5 for k, item in enumerate(items)}
    return {
        "ratings": ratings,
        "note": f"Practise discovery interviews ({name})",
        "statement": {
            "who": f"Dispatchers who work with {name}",
            "needs": "to know about a change to the day's schedule before the technician leaves",
            "because": "a missed change costs a wasted trip and an angry customer",
            "evidence": "I01, I22",
        },
    }


async def learner_session(driver: ClassDriver, name: str, index: int, items: list[str]) -> dict:
    """One learner, start to saved: server started (seconds to ready), a token, a kernel, the
    exercise run through the kernel's websocket. Returns what happened, with the PIDs."""
    answers = learner_answers(name, index, items)
    ready = await driver.start_server(name)
    token = await driver.token_for(name)
    t0 = time.monotonic()
    kernel = await driver.start_kernel(name, token)
    out = await driver.execute(name, token, kernel, EXERCISE_CODE.format(**answers))
    result = json.loads(out.strip().splitlines()[-1])
    return {
        "name": name,
        "token": token,
        "kernel": kernel,
        "answers": answers,
        "ready_s": ready,
        "exercise_s": time.monotonic() - t0,
        **result,
    }


# --- nbgitpuller links --------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    part: str
    title: str
    notebook: str
    url: str


def nbgitpuller_url(
    hub: str, repo: str, path: str, branch: str = "main", target: str | None = None
) -> str:
    """The nbgitpuller link that clones (first click) or merges (later clicks) ``repo`` into the
    learner's home on ``hub`` and opens ``path`` (relative to the repository) in JupyterLab.

    The form is nbgitpuller's own link generator's: ``<hub>/hub/user-redirect/git-pull`` with
    the query ``repo``, ``urlpath`` (``lab/tree/<clone folder>/<path>``) and ``branch`` (always
    given: nbgitpuller's default branch is ``master``); ``targetPath`` names the clone folder when
    it is not the repository's name.
    """
    hub = hub.strip().rstrip("/")
    if not re.match(r"https?://[^/]+", hub):
        raise ValueError(f"the hub URL must start with http:// or https://, not {hub!r}")
    folder = target or repo_folder(repo)
    query = {"repo": repo, "urlpath": f"lab/tree/{folder}/{path}", "branch": branch}
    if target:
        query["targetPath"] = target
    return f"{hub}/hub/user-redirect/git-pull?{urllib.parse.urlencode(query)}"


def repo_folder(repo: str) -> str:
    """The folder ``git clone`` makes for ``repo`` (its last path part, without ``.git``)."""
    name = repo.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return name.removesuffix(".git") or "repo"


def toc_notebooks(toc: Path = ROOT / "_toc.yml") -> list[tuple[str, str, str]]:
    """(part caption, notebook path, title) for every learner notebook in ``_toc.yml``, in order
    (the instructor's notebooks, under ``notebooks/instructor/``, are not handed out)."""
    import yaml

    doc = yaml.safe_load(toc.read_text(encoding="utf-8"))
    found = []
    for part in doc.get("parts", []):
        for chapter in part.get("chapters", []):
            for entry in [chapter, *chapter.get("sections", [])]:
                file = entry.get("file")
                if not file or file.startswith("notebooks/instructor/"):
                    continue
                path = toc.parent / f"{file}.ipynb"
                if path.exists():
                    found.append((part.get("caption", ""), f"{file}.ipynb", _title(path)))
    return found


def _title(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            m = re.search(r"^#\s+(.+)$", "".join(cell["source"]), re.M)
            if m:
                return m.group(1).strip()
    return notebook.stem


def links(
    hub: str, repo: str, branch: str = "main", target: str | None = None, toc: Path | None = None
) -> list[Link]:
    return [
        Link(part, title, path, nbgitpuller_url(hub, repo, path, branch, target))
        for part, path, title in toc_notebooks(toc or ROOT / "_toc.yml")
    ]


def links_markdown(items: list[Link]) -> str:
    """One section per part: the part's link (its first notebook) and a link per notebook."""
    out: list[str] = []
    part = None
    for item in items:
        if item.part != part:
            part = item.part
            out += ["", f"## {part}", "", f"Part link (opens {item.title}): <{item.url}>", ""]
        out.append(f"- [{item.title}]({item.url}) (`{item.notebook}`)")
    return "\n".join(out).lstrip() + "\n"


# --- command line -------------------------------------------------------------------------
def _serve_options(p: argparse.ArgumentParser, argparse_default: bool = False) -> None:
    """The options of ``serve``; on the subcommand they default to the top level's values."""

    def default(value):
        return value if argparse_default else argparse.SUPPRESS

    env = os.environ
    p.add_argument("--state", default=default(str(DEFAULT_STATE)), help="state folder (.hub/)")
    p.add_argument("--ip", default=default(env.get("HUB_IP", "127.0.0.1")), help="address")
    p.add_argument("--port", type=int, default=default(int(env.get("HUB_PORT", "8800"))))
    p.add_argument(
        "--class-dir",
        default=default(env.get("PIVOT_CLASS_DIR", "")),
        help="the class folder for the workbooks (default .hub/class)",
    )
    p.add_argument(
        "--idle-timeout",
        type=int,
        default=default(int(env.get("HUB_IDLE_TIMEOUT", "3600"))),
        help="seconds without activity before a server is stopped (default 3600)",
    )
    p.add_argument(
        "--learners",
        default=default(env.get("HUB_LEARNERS", "")),
        help="comma-separated user names allowed to log in (default: any name)",
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(prog="python -m pivot.hub", description=__doc__.splitlines()[0])
    _serve_options(ap, argparse_default=True)
    sub = ap.add_subparsers(dest="command")
    _serve_options(sub.add_parser("serve", help="start the class hub (the default)"))
    stop = sub.add_parser("stop", help="stop the hub started from this state folder")
    stop.add_argument("--state", default=argparse.SUPPRESS)
    lk = sub.add_parser("links", help="nbgitpuller links for each part, from _toc.yml")
    lk.add_argument("--hub", required=True, help="the hub's URL, e.g. https://hub.example.org")
    lk.add_argument("--repo", required=True, help="the course's git repository URL")
    lk.add_argument("--branch", default="main", help="the branch to pull (default main)")
    lk.add_argument("--target", help="folder to clone into (default: the repository's name)")
    lk.add_argument("--toc", default=str(ROOT / "_toc.yml"))
    args = ap.parse_args(argv)
    if args.command == "stop":
        return stop_command(args)
    if args.command == "links":
        try:
            items = links(args.hub, args.repo, args.branch, args.target, Path(args.toc))
        except ValueError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        sys.stdout.write(links_markdown(items))
        return 0
    return serve(args)


if __name__ == "__main__":
    raise SystemExit(main())
