"""The policy's table for every action kind, the one rule for secrets, the desktop's applications, the bubblewrap
sandbox with real processes, and settings at rest (mode 0600, the keyring on a private D-Bus)."""

import os
import shutil
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.desktop.apps import installed
from app.engine.executor import DesktopExecutor
from app.engine.sandbox import find_sandbox
from grounding.elements import Box, Element
from planner.actions import Click, Drag, Key, Open, RunCode, Scroll, TypeText, Wait
from planner.policy import Context, FixedApprover, Gate, Policy, PolicySettings
from planner.secrets import field_is_secret, marked_secrets, mask_data, names_a_secret, typed_is_secret
from tests.fakes import RecordingDriver

TERMINAL = Context(title="ada@box: ~", app="xterm xterm", terminal=True)
APPS = frozenset({"gedit", "chromium", "xterm"})


def policy(**settings) -> Policy:
    return Policy(PolicySettings(**settings), "/tmp/work", APPS, frozenset({"xterm"}), "bubblewrap")


@pytest.mark.parametrize("action,context,verdict", [
    (Click(x=1, y=2), Context(), "allow"),
    (Drag(x=1, y=2, to_x=3, to_y=4), Context(), "allow"),
    (Scroll(x=1, y=2, dy=-3), Context(), "allow"),
    (Key(keys=("ctrl", "w")), TERMINAL, "allow"),
    (Key(keys=("alt", "f4")), Context(), "allow"),
    (Wait(seconds=1), Context(), "allow"),
    (TypeText(text="hello"), Context(), "allow"),
    (TypeText(text="ls -la\n"), TERMINAL, "ask"),
    (TypeText(text="sudo rm -rf /\n"), TERMINAL, "deny"),
    (TypeText(text="pw", secret=True), Context(), "allow"),
    (Open(app="gedit notes.txt"), Context(), "allow"),
    (Open(app="chromium 'https://x.example/?a=1&b=2'"), Context(), "allow"),
    (Open(app="xterm"), Context(), "allow"),
    (Open(app="xterm -e rm -rf ~/notes"), Context(), "ask"),
    (Open(app="libreoffice --calc"), Context(), "ask"),
    (Open(app="bash -c 'touch x'"), Context(), "ask"),
    (Open(app="python3.11 -m http.server"), Context(), "ask"),
    (Open(app="gedit x; rm -rf ~"), Context(), "deny"),
    (Open(app="gedit $(rm -rf ~)"), Context(), "deny"),
    (Open(app='gedit "`id`"'), Context(), "deny"),
    (Open(app="gedit > /etc/passwd"), Context(), "deny"),
    (Open(app="sudo gedit"), Context(), "deny"),
    (RunCode(language="bash", code="ls"), Context(), "ask"),
    (RunCode(language="bash", code="ls", network=True), Context(), "ask"),
    (RunCode(language="bash", code="ls", writes=("/etc",)), Context(), "deny"),
    (RunCode(language="bash", code="ls", writes=("/usr/local/bin",)), Context(), "deny"),
    (RunCode(language="bash", code="ls", writes=("~",)), Context(), "deny"),
    (RunCode(language="bash", code="ls", writes=("~/notes",)), Context(), "ask"),
])
def test_the_default_table(action, context, verdict):
    assert policy().judge(action, context).verdict == verdict, action


def test_settings_move_rows_of_the_table():
    assert policy(code="allow").judge(RunCode(language="bash", code="ls")).verdict == "allow"
    assert policy(code="allow").judge(RunCode(language="bash", code="ls", network=True)).verdict == "ask"
    assert policy(code="allow", network="allow").judge(RunCode(language="bash", code="curl x", network=True)
                                                       ).verdict == "allow"
    assert policy(open="allow").judge(Open(app="libreoffice --calc")).verdict == "allow"
    assert policy(apps=["libreoffice"]).judge(Open(app="libreoffice --calc")).verdict == "allow"
    assert policy(secrets="ask").judge(TypeText(text="pw", secret=True)).verdict == "ask"
    assert policy(deny=["gedit"]).judge(Open(app="gedit x")).verdict == "deny"
    assert policy(code="allow").judge(TypeText(text="make\n"), TERMINAL).verdict == "allow"


def test_the_settings_folder_is_never_given_to_code(tmp_path):
    judge = Policy(PolicySettings(code="allow"), str(tmp_path), sandbox="bubblewrap",
                   protected=(str(tmp_path / "config" / "deskpilot"),)).judge
    assert judge(RunCode(language="bash", code="ls", writes=(str(tmp_path / "config"),))).verdict == "deny"
    assert judge(RunCode(language="bash", code="ls", writes=(str(tmp_path / "data"),))).verdict == "allow"


def test_without_a_sandbox_only_a_person_may_allow_code():
    bare = Policy(PolicySettings(code="allow"))
    ruling = bare.judge(RunCode(language="python", code="print(1)"))
    assert ruling.verdict == "ask" and ruling.person and "UNCONFINED" in ruling.reason
    code = RunCode(language="python", code="print(1)")
    denied = Gate(bare, FixedApprover("once")).check(code)
    assert denied.verdict == "deny" and "nobody can be asked" in denied.reason

    class Person:
        asked = []

        def approve(self, action, ruling):
            self.asked.append(ruling.reason)
            return "once"

    person = Person()
    assert Gate(bare, FixedApprover("once", person=person)).check(code).verdict == "allow"
    assert "bubblewrap" in person.asked[0]
    assert Gate(bare, FixedApprover("once")).check(Open(app="bash -c 'id'")).verdict == "deny"


def test_always_is_remembered_per_rule_not_per_kind():
    answers = ["always", "deny"]

    class Person:
        def approve(self, action, ruling):
            return answers.pop(0)

    gate = Gate(policy(secrets="ask"), Person(), context=lambda: TERMINAL)
    assert gate.check(TypeText(text="make\n")).verdict == "allow"
    assert gate.check(TypeText(text="make test\n")).verdict == "allow"  # always, for typing into a terminal
    assert gate.check(TypeText(text="hunter2", secret=True)).verdict == "deny"  # a secret is another rule


def test_one_rule_for_secrets():
    password = Element(Box(0, 0, 10, 10), "text_field", name="Password")
    pin = Element(Box(0, 0, 10, 10), "text_field", name="PIN")
    plain = Element(Box(0, 0, 10, 10), "text_field", name="Spinner speed")

    class A11yField:  # the shared screen model's element: the accessibility tree's password role
        states = frozenset({"password", "focused"})
        name = "Enter it here"

    assert field_is_secret(password) and field_is_secret(pin) and field_is_secret(A11yField())
    assert not field_is_secret(plain) and not names_a_secret("Secretary") and names_a_secret("EnterPassword")
    assert typed_is_secret(field=plain, clause="type the passphrase 'x' into the Name field", text="x")
    assert typed_is_secret(field=plain, text="hunter2", marked=marked_secrets('log in with password "hunter2"'))
    assert not typed_is_secret(field=plain, clause="type 'hunter2' into the 2nd text field", text="hunter2")
    assert marked_secrets("the password is hunter2, then click Save") == {"hunter2"}
    assert marked_secrets("click the password field") == set()
    event = {"response": "typing hunter2", "info": {"lines": ["a hunter2 b"], "n": 3}, "image": None}
    assert "hunter2" not in str(mask_data(event, {"hunter2"})) and mask_data(event, {"hunter2"})["info"]["n"] == 3


def test_installed_applications_come_from_desktop_entries(tmp_path, monkeypatch):
    apps_dir = tmp_path / "share" / "applications"
    apps_dir.mkdir(parents=True)
    entries = {"editor": "Exec=env GTK_THEME=dark /usr/bin/my-editor %F", "vim": "Exec=vim %F\nTerminal=true",
               "term": "Exec=my-term\nCategories=System;TerminalEmulator;\nStartupWMClass=MyTerm",
               "shell": "Exec=sh -c \"rm -rf ~\"", "gone": "Exec=old-app\nHidden=true"}
    for name, body in entries.items():
        (apps_dir / f"{name}.desktop").write_text(f"[Desktop Entry]\nType=Application\nName={name}\n{body}\n"
                                                  "[Desktop Action x]\nExec=other-app\n")
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "nothing"))
    apps = installed()
    assert apps.programs == {"my-editor", "my-term"}
    assert apps.is_terminal("myterm MyTerm") and apps.is_terminal("xterm XTerm") and not apps.is_terminal("gedit")


def sandboxed(tmp_path) -> DesktopExecutor:
    sandbox, sentence = find_sandbox()
    assert sandbox is not None, sentence
    work = tmp_path / "work"
    work.mkdir()
    return DesktopExecutor(RecordingDriver(), workdir=str(work), sandbox=sandbox)


@pytest.fixture
def outside():
    """A folder the code can see but was not given (outside /tmp, which the sandbox replaces with its own)."""
    folder = Path(tempfile.mkdtemp(prefix="deskpilot-outside-", dir="/var/tmp"))
    yield folder
    shutil.rmtree(folder)


def test_sandboxed_code_writes_only_its_declared_folders(tmp_path, outside):
    ex = sandboxed(tmp_path)
    declared = tmp_path / "declared"
    code = (f"open('here.txt', 'w').write('w')\nopen({str(declared / 'd.txt')!r}, 'w').write('d')\n"
            f"open({str(outside / 'o.txt')!r}, 'w').write('o')")
    out = ex.execute(RunCode(language="python", code=code, writes=(str(declared),)))
    assert not out.ok and "Read-only file system" in out.output, out
    assert (tmp_path / "work" / "here.txt").exists() and (declared / "d.txt").read_text() == "d"
    assert list(outside.iterdir()) == []
    given = ex.execute(RunCode(language="python", code=code, writes=(str(declared), str(outside))))
    assert given.ok and (outside / "o.txt").read_text() == "o"  # the same write, declared, goes through
    tmp = ex.execute(RunCode(language="bash", code="echo x > /tmp/deskpilot-sandbox-probe"))
    assert not tmp.ok and "Read-only file system" in tmp.output and not Path("/tmp/deskpilot-sandbox-probe").exists()
    scratch = ex.execute(RunCode(language="bash", code='f=$(mktemp) && echo s > "$f" && cat "$f"'))
    assert scratch.ok and "s" in scratch.output  # scratch files go to its own $TMPDIR


def test_sandboxed_code_reads_the_persons_files_in_tmp_but_no_socket_there(tmp_path):
    import socket

    ex = sandboxed(tmp_path)
    mine = Path(tempfile.mkdtemp(prefix="deskpilot-person-", dir="/tmp"))
    try:
        (mine / "note.txt").write_text("Buy milk")
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(mine / "agent.sock"))  # an ssh agent's, a browser's
        server.listen()
        code = (f"cat {mine}/note.txt; python3 -c \"import socket; s = socket.socket(socket.AF_UNIX); "
                f"s.connect('{mine}/agent.sock')\"")
        out = ex.execute(RunCode(language="bash", code=code))
        assert "Buy milk" in out.output and not out.ok and "Connection refused" in out.output, out.output
        server.close()
    finally:
        shutil.rmtree(mine)


def test_sandboxed_code_cannot_read_the_settings_or_reach_the_network(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "config" / "deskpilot").mkdir(parents=True)
    (tmp_path / "config" / "deskpilot" / "config.toml").write_text('[llm]\napi_key = "sk-kept"\n')
    ex = sandboxed(tmp_path)
    read = ex.execute(RunCode(language="bash", code=f"cat {tmp_path}/config/deskpilot/config.toml"))
    assert not read.ok and "sk-kept" not in read.output
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/leak"
    try:
        code = f"import urllib.request\nprint(urllib.request.urlopen({url!r}, timeout=5).status)"
        blocked = ex.execute(RunCode(language="python", code=code))
        assert not blocked.ok and "Connection refused" in blocked.output and hits == []
        allowed = ex.execute(RunCode(language="python", code=code, network=True))
        assert allowed.ok and hits == ["/leak"]  # the same code with the network declared (and allowed) reaches it
    finally:
        server.shutdown()
        server.server_close()


def test_opened_programs_get_the_cleaned_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-for-apps")
    script = tmp_path / "show-env"
    script.write_text(f"#!/bin/sh\nenv > {tmp_path}/env.txt\nsleep 2\n")  # running on: an opened program
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    bus = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/tmp/the-virtual-desktops-bus"}  # a --headless desktop's
    out = DesktopExecutor(RecordingDriver(), workdir=str(tmp_path), app_env=bus).execute(Open(app="show-env"))
    assert out.ok
    deadline = time.monotonic() + 5
    env = ""
    while "PATH=" not in env and time.monotonic() < deadline:  # the program may still be writing its file
        time.sleep(0.05)
        env = (tmp_path / "env.txt").read_text() if (tmp_path / "env.txt").exists() else ""
    assert "PATH=" in env and "sk-not-for-apps" not in env
    assert "DBUS_SESSION_BUS_ADDRESS=unix:path=/tmp/the-virtual-desktops-bus" in env  # it publishes its tree there


def test_settings_and_history_are_written_for_their_owner_only(tmp_path, monkeypatch):
    from app.config import remember
    from models.settings import save_tables

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = tmp_path / "deskpilot" / "config.toml"
    path.parent.mkdir()
    path.write_text("[llm]\n")
    path.chmod(0o644)
    save_tables({"llm": {"api_key": "sk-1"}}, path)
    remember("log in with password 'x'")
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "deskpilot" / "history.json").stat().st_mode & 0o777 == 0o600


@pytest.fixture
def keyring_bus(tmp_path, monkeypatch):
    """gnome-keyring-daemon on a private session D-Bus, its login keyring unlocked, stopped afterwards."""
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: run `make install`")
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_RUNTIME_DIR": str(tmp_path / "run"),
           "XDG_DATA_HOME": str(tmp_path / "home" / "data")}
    for folder in ("home", "run"):
        (tmp_path / folder).mkdir(mode=0o700)
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, env=env)
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
    keyring = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                               text=True)
    keyring.stdin.write("test-password\n")  # --unlock reads the login keyring's password from stdin
    keyring.stdin.close()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", env["DBUS_SESSION_BUS_ADDRESS"])
    from models import keyring as kr

    deadline = time.monotonic() + 10
    while kr.available() and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        yield env
    finally:
        for proc in (keyring, bus):
            proc.terminate()
            proc.wait(5)


def test_the_api_key_can_live_in_the_keyring(keyring_bus, tmp_path, monkeypatch, capsys):
    from app.cli.doctor import check_key_file
    from app.cli.main import main
    from models import keyring
    from models.settings import load

    assert keyring.available() == ""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for var in ("OPENAI_API_KEY", "DESKPILOT_LLM_API_KEY", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    path = tmp_path / "config" / "deskpilot" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('[llm]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "m"\napi_key = "sk-in-the-file"\n')
    path.chmod(0o644)
    warning = check_key_file()
    assert not warning.ok and "others can read it" in warning.detail and "0644" in warning.detail
    assert main(["keyring", "store"]) == 0
    assert "sk-in-the-file" not in path.read_text() and 'api_key = "keyring"' in path.read_text()
    assert path.stat().st_mode & 0o777 == 0o600
    assert load().api_key == "sk-in-the-file" and check_key_file().ok


@pytest.mark.display
def test_typing_into_a_real_terminal_window_is_judged_as_code(xvfb, tmp_path):
    from app.engine.safety import make_gate

    env = {**os.environ, "DISPLAY": xvfb.display}
    gate = make_gate(xvfb.display, str(tmp_path), FixedApprover("deny"), PolicySettings(), None).gate
    subprocess.run(["xdotool", "mousemove", "400", "300"], env=env, check=True)
    assert gate.check(TypeText(text=f"touch {tmp_path}/x\n")).verdict == "allow"  # the bare desktop: no terminal
    term = subprocess.Popen(["xterm", "-geometry", "100x40+0+0"], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        ruling = gate.check(TypeText(text="ls\n"))
        while ruling.verdict == "allow" and time.monotonic() < deadline:
            time.sleep(0.2)
            ruling = gate.check(TypeText(text="ls\n"))
        assert ruling.verdict == "deny" and "terminal" in ruling.reason and "code" in ruling.reason
        assert gate.check(Click(x=400, y=300)).verdict == "allow"
    finally:
        term.terminate()
        term.wait(5)


def test_a_socket_that_goes_away_while_the_sandbox_is_built_only_makes_it_build_again(tmp_path, monkeypatch):
    import socket

    from app.engine import sandbox as bwrap

    ex = sandboxed(tmp_path)
    mine = Path(tempfile.mkdtemp(prefix="deskpilot-person-", dir="/tmp"))
    real, built = bwrap.read_only_tmp, []

    def racing(root: str = "/tmp") -> list[str]:
        args = real(root)
        built.append(args)
        if len(built) == 1:
            (mine / "s.sock").unlink()  # scanned, then gone before bwrap starts
        return args

    try:
        socket.socket(socket.AF_UNIX).bind(str(mine / "s.sock"))
        monkeypatch.setattr(bwrap, "read_only_tmp", racing)
        out = ex.execute(RunCode(language="bash", code="echo ran"))
        assert out.ok and out.output.strip() == "ran", out
        assert len(built) == 2 and str(mine / "s.sock") in built[0] and str(mine / "s.sock") not in built[1]
    finally:
        shutil.rmtree(mine)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root lists another user's private folder")
def test_a_socket_in_another_users_private_folder_leaves_the_sandbox_working(tmp_path):
    """As root, /tmp's scan sees into a 0700 folder of another user (a headless sway session's runtime folder, run
    as the installer's user); the sandbox cannot enter it, so the socket is out of reach and must not be covered:
    covering it failed every code run."""
    import socket

    ex = sandboxed(tmp_path)
    theirs = Path(tempfile.mkdtemp(prefix="deskpilot-other-", dir="/tmp"))
    try:
        socket.socket(socket.AF_UNIX).bind(str(theirs / "wayland-1"))
        os.chown(theirs, 54321, 54321)
        theirs.chmod(0o700)
        out = ex.execute(RunCode(language="bash", code=f"echo ran; ls {theirs} 2>&1 || true"))
        assert out.ok and out.output.splitlines()[0] == "ran", out
        assert "Permission denied" in out.output  # out of the code's reach all the same
    finally:
        shutil.rmtree(theirs)
