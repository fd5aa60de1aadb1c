"""Headless GUI testing end to end: the example suites on Xvfb with a Qt app and Chromium, reports, isolation."""

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.testing import spec
from app.testing.runner import run_suite

pytestmark = [pytest.mark.display, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "assets" / "examples" / "notes.yaml", ROOT / "assets" / "examples" / "login.yaml"]
WATCHED = ("Xvfb", "chromium", "notes_app.py")


TOKEN = f"DESKPILOT_TEST_WATCH={os.getpid()}"
os.environ["DESKPILOT_TEST_WATCH"] = str(os.getpid())  # inherited by everything these tests start


def watched_pids():
    """Live processes of the kinds a test starts, started from this test process (they inherit its marker: other
    programs on a shared machine are not ours); zombies are dead already, only their parent can reap them."""
    out = subprocess.run(["ps", "-eo", "pid=,stat=,args="], capture_output=True, text=True).stdout
    pids = {line.split(None, 2)[0] for line in out.splitlines()
            if any(w in line for w in WATCHED) and "ps -eo" not in line and not line.split(None, 2)[1].startswith("Z")}
    return {pid for pid in pids if _ours(pid)}


def _ours(pid: str) -> bool:
    try:
        return TOKEN.encode() in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return False


def outcome(results):
    return [(r.suite, r.name, r.status) for r in results]


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    before = watched_pids()
    results = run_suite([spec.load(p) for p in EXAMPLES], tmp_path_factory.mktemp("serial"), parallel=1)
    return results, before, watched_pids()


def test_example_suite_passes(serial):
    results, _, _ = serial
    assert [r.status for r in results] == ["passed"] * 6, [r.message for r in results]


def test_no_process_outlives_the_run(serial):
    _, before, after = serial
    assert after <= before, f"left running: {after - before}"


def test_parallel_reports_the_same_results(serial, tmp_path):
    results = run_suite([spec.load(p) for p in EXAMPLES], tmp_path, parallel=2)
    assert outcome(results) == outcome(serial[0])


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """The notes suite against the app's broken build, run once end to end through `deskpilot test` with both
    reports: the exit-code test and the broken-build test read the same run (it takes a whole suite's time)."""
    out = tmp_path_factory.mktemp("broken")
    env = {**os.environ, "DESKPILOT_EXAMPLE_BROKEN": "1"}
    before = watched_pids()
    proc = subprocess.run([sys.executable, "-m", "app.cli", "test", str(failing_sooner(out)), "--out", str(out / "o"),
                           "--junit", str(out / "junit.xml"), "--html", str(out / "report.html"), "--parallel", "2"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return proc, out, before, watched_pids()


def failing_sooner(folder):
    """The notes suite beside its app in ``folder``, as it is but for the two expectations the broken build fails:
    they wait for a file it never writes, 3 s instead of the default 10, on the lines they had."""
    lines = EXAMPLES[0].read_text().splitlines(keepends=True)
    for number in (11, 16):
        indent, expectation = lines[number - 1].rstrip("\n").split("- expect: ")
        assert expectation.startswith("{file: "), lines[number - 1]
        lines[number - 1] = f"{indent}- {{expect: {expectation}, timeout: 3}}\n"
    shutil.copy(EXAMPLES[0].parent / "notes_app.py", folder)
    (folder / EXAMPLES[0].name).write_text("".join(lines))
    return folder / EXAMPLES[0].name


def printed(stdout):
    """Each test's mark as `deskpilot test` prints it (ok, FAIL, ERR), and the failure's message under it."""
    found = re.findall(r"^  (ok  |FAIL|ERR ) Notes app > (.+?)  \([\d.]+s\)(?:\n       (.*))?$", stdout, re.M)
    return {name: (mark.strip(), message) for mark, name, message in found}


def test_broken_build_fails_exactly_the_expected_tests(broken):
    proc, out, before, after = broken
    assert after <= before, f"left running: {after - before}"
    shown = printed(proc.stdout)
    assert {name: mark for name, (mark, _) in shown.items()} == {
        "saves a note to a file": "FAIL", "remembers that a note is pinned": "FAIL",
        "refuses a note without a title": "ok", "has a window called Notes": "ok"}, proc.stdout + proc.stderr
    assert shown["saves a note to a file"][1].startswith("line 11: expect: file")
    assert shown["remembers that a note is pinned"][1].startswith("line 16: ")

    cases = list(ET.parse(out / "junit.xml").getroot().iter("testcase"))
    failures = {c.get("name"): c.find("failure").get("type") for c in cases if c.find("failure") is not None}
    assert len(cases) == 4 and not [c for c in cases if c.find("error") is not None]
    assert failures == {"saves a note to a file": "step at line 11", "remembers that a note is pinned":
                        "step at line 16"}

    page = (out / "report.html").read_text()
    assert page.count("<section class='test failed'>") == 2
    assert "<li class='step failed'>" in page and "line 11: expect: file" in page
    assert "notes.txt does not exist but should" in page
    assert page.count("data:image/png;base64,") >= 6


def test_cli_exit_codes_and_malformed_files(tmp_path, broken):
    bad = tmp_path / "bad.yaml"
    bad.write_text("tests:\n  - name: x\n    steps:\n      - expect: {txet: hi}\n")
    proc = subprocess.run([sys.executable, "-m", "app.cli", "test", str(bad)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert f"{bad}:4: unknown key 'txet' in expect" in proc.stderr

    proc, out, _, _ = broken
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "2 passed, 2 failed" in proc.stdout
    assert f"junit: {out / 'junit.xml'}" in proc.stdout and f"html: {out / 'report.html'}" in proc.stdout
    assert (out / "junit.xml").exists() and (out / "report.html").exists()


def test_pytest_plugin_desktop_fixture(pytester):
    pytester.makepyfile(f"""
        APP = {str(ROOT / "assets" / "examples")!r}

        def test_saves(desktop):
            desktop.launch("python notes_app.py", cwd=APP)
            desktop.do('type "Milk" into the Title field and click Save')
            desktop.expect_text("Saved Milk")
            desktop.expect_file("notes.txt", contains="Milk")

        def test_reports_a_wrong_expectation(desktop):
            desktop.launch("python notes_app.py", cwd=APP)
            desktop.expect_text("Saved Bread", timeout=1)
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA", "--deskpilot-out",
                                           str(pytester.path / "dp"))
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*deskpilot*", "*[[]passed[]] do: type \"Milk\" into the Title field*",
                                 "*report: *report.html*"])
    result.stdout.fnmatch_lines(["*[[]failed[]] expect: text 'Saved Bread'*", "*report: *report.html*"])
    result.stdout.fnmatch_lines(["*'Saved Bread' is not on the screen*"])
    assert len(list((pytester.path / "dp").glob("*/report.html"))) == 2


def test_image_expectation_matches_and_then_differs(tmp_path):
    from PIL import Image

    from app.testing.desktop import Desktop

    region = [150, 60, 700, 260]
    with Desktop(tmp_path / "out", 900, 600) as d:
        d.launch(open=str(ROOT / "assets" / "examples" / "login.html"))
        x0, y0, x1, y1 = region
        Image.fromarray(d.screenshot()[y0:y1, x0:x1]).save(tmp_path / "card.png")
        same = d.expect("image", {"region": region, "matches": "card.png", "tolerance": 0.01}, timeout=1,
                        base=tmp_path)
        assert same.ok, same.message
        d.do('type "a much longer user name here" into the Username field')
        changed = d.expect("image", {"region": region, "matches": "card.png", "tolerance": 0.001}, timeout=1,
                           base=tmp_path)
        assert not changed.ok and "over the 0.1% tolerance" in changed.message
        wrong = d.expect("image", {"region": [0, 0, 10, 10], "matches": "card.png", "tolerance": 0.1}, timeout=1,
                         base=tmp_path)
        assert not wrong.ok and "the region is 10x10 but card.png is 550x200" in wrong.message
