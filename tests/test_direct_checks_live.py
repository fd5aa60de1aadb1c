"""A direct command says what it did and what was seen to work: real Chromium on Xvfb, pixels in, OS input out,
on a page whose field keeps only three characters, whose checkbox unticks itself and whose Ping button shows
nothing (tests/pages/stubborn.html); the page's own counts say how often each was tried."""

from pathlib import Path

import pytest

from planner.trajectory import load
from tests.live_pages import page_shown
from tests.test_language_live import carry_out, desktop  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.display, pytest.mark.browser]
PAGE = (Path(__file__).resolve().parent / "pages" / "stubborn.html").as_uri()


def run_on_page(desktop, command, tmp_path):  # noqa: F811 (the fixture)
    vd, browser = desktop
    browser.driver.get(PAGE)
    page_shown(vd.display, browser)
    result = carry_out(vd, command, tmp_path)
    checks = [c for s in load(Path(result.folder)) for c in s["info"].get("checks", [])]
    return result, browser.driver.execute_script("return window.tries"), checks


def test_effects_that_show_end_done_with_what_was_seen(desktop, tmp_path):  # noqa: F811
    result, tries, checks = run_on_page(desktop, "type 'Lisbon' into the City field, check Newsletter, press tab "
                                        "and click Save", tmp_path)
    assert result.status == "done", result.message
    assert result.message == "4 commands: 3 seen to work, 1 not checkable (press tab)"
    assert [c["held"] for c in checks] == [True, True, None, True]
    assert "'Lisbon' shows in" in checks[0]["detail"] and "Your details are kept" in checks[3]["detail"]
    assert tries == {"name": 0, "city": 1, "email": 0, "remember": 0, "news": 1, "ping": 0, "save": 1}


def test_a_field_that_drops_what_is_typed_is_retried_once_then_fails_with_what_it_shows(desktop, tmp_path):  # noqa: F811
    result, tries, checks = run_on_page(desktop, "type 'Grace' into the Name field and click Save", tmp_path)
    assert result.status == "failed"
    assert result.message == "Typed 'Grace' into 'Name', but the field shows 'Gra' (after one retry)."
    assert tries["name"] == 2 and tries["save"] == 0  # typed again once; nothing after it was done
    assert checks[-1] == {"intent": "type 'Grace' into the Name field", "held": False, "retried": True,
                          "detail": "Typed 'Grace' into 'Name', but the field shows 'Gra'"}
    assert (Path(result.folder) / "result.txt").read_text().startswith("failed")  # the trajectory is kept


def test_a_checkbox_that_unticks_itself_is_clicked_once_more_then_fails(desktop, tmp_path):  # noqa: F811
    result, tries, _ = run_on_page(desktop, "type 'Rome' into the City field and tick Remember me", tmp_path)
    assert result.status == "failed"
    assert result.message == ("Checked 'Remember me', but it shows unchecked (after one retry). Before it, "
                              "1 command: 1 seen to work.")
    assert tries["remember"] == 2 and tries["city"] == 1


def test_a_click_that_changes_nothing_is_said_and_never_clicked_again(desktop, tmp_path):  # noqa: F811
    result, tries, checks = run_on_page(desktop, "click Ping and click Save", tmp_path)
    assert result.status == "done", result.message
    assert result.message == "2 commands: 1 seen to work, 1 with no visible effect (click Ping)"
    assert checks[0]["quiet"] and checks[0]["held"] is None and "did not change" in checks[0]["detail"]
    assert tries["ping"] == 1 and tries["save"] == 1


def test_a_noun_that_is_a_fields_label_types_into_that_field(desktop, tmp_path):  # noqa: F811
    result, tries, checks = run_on_page(desktop, "fill in the email with ada@example.org", tmp_path)
    assert result.status == "done", result.message
    assert tries["email"] == 1 and tries["name"] == 0  # not the first field, which the role alone would pick
    assert checks[0]["held"] is True and "'ada@example.org' shows in" in checks[0]["detail"]


CONFIRM = (Path(__file__).resolve().parent / "pages" / "confirm.html").as_uri()


def test_a_question_the_command_left_open_is_said_in_its_summary(desktop, tmp_path):  # noqa: F811
    vd, browser = desktop
    browser.driver.get(CONFIRM)
    page_shown(vd.display, browser)
    result = carry_out(vd, "click Sign out everywhere", tmp_path)
    assert result.status == "done", result.message
    assert 'the screen now asks "Sign out of all 3 devices?" (Yes, No), which is left for you to answer' \
        in result.message
    browser.driver.get(CONFIRM)
    page_shown(vd.display, browser)
    answered = carry_out(vd, "click Sign out everywhere, then click No", tmp_path)
    assert answered.status == "done" and "asks" not in answered.message, answered.message
    assert browser.driver.execute_script("return document.getElementById('said').textContent") == "Still signed in"


def test_a_scroll_is_seen_when_the_page_moved_and_quiet_at_its_end(desktop, tmp_path):  # noqa: F811
    vd, browser = desktop
    rows = "".join(f"<p style='font-size:20px'>Row {i}</p>" for i in range(80))
    browser.driver.get(f"data:text/html,<html><body>{rows}</body></html>")
    page_shown(vd.display, browser)
    moved = carry_out(vd, "scroll down", tmp_path)
    assert moved.status == "done" and moved.message == "1 command: 1 seen to work", moved.message
    browser.driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    page_shown(vd.display, browser)
    still = carry_out(vd, "scroll down", tmp_path)
    assert still.status == "done" and "1 with no visible effect (scroll down)" in still.message, still.message


def test_a_browsers_confirm_over_its_dimmed_page_is_said_as_the_open_question(desktop, tmp_path):  # noqa: F811
    vd, browser = desktop
    rows = "".join(f"<tr><td>{n}</td><td>{n}@example.com</td><td><button onclick=\"confirm('Remove {n}?')\">Remove"
                   f"</button></td></tr>" for n in ("alice", "bob", "carol"))
    browser.driver.get(f"data:text/html,<html><body style='font-size:18px'><h1>Team</h1><table>{rows}</table>"
                       "</body></html>")
    page_shown(vd.display, browser)
    try:
        result = carry_out(vd, "click the Remove button next to bob", tmp_path)
    finally:
        alert = browser.driver.switch_to.alert
        asked = alert.text
        alert.dismiss()
    assert asked == "Remove bob?"
    assert result.status == "done", result.message
    assert 'the screen now asks "Remove bob?" (Cancel, OK)' in result.message, result.message
    checks = [c for s in load(Path(result.folder)) for c in s["info"].get("checks", [])]
    assert not any("example.com" in c["detail"] for c in checks), checks  # the page behind the dialog stays put


def test_read_the_message_reads_the_line_that_appeared_after_the_last_act(desktop, tmp_path):  # noqa: F811
    vd, browser = desktop
    browser.driver.get("data:text/html,<html><body style='font-size:20px'><h1>Search users</h1><p>dave Viewer</p>"
                       "<button onclick=\"document.getElementById('m').textContent='Saved dave as Admin'\">Save "
                       "changes</button><p id='m'></p></body></html>")
    page_shown(vd.display, browser)
    result = carry_out(vd, "click Save changes and read the message", tmp_path)
    assert result.status == "done", result.message
    assert result.message.endswith("the message shows 'Saved dave as Admin'"), result.message
