"""The pixel parser on a real page it is not benchmarked on (tests/pages/profile.html in Chromium on Xvfb): a
filled field in Chromium's small type keeps its value and its label, its caption is no heading, a closed
dropdown is no button, and an underlined link of several words is one link."""

from pathlib import Path

import pytest

from app.desktop.browser import ChromiumApp
from app.desktop.capture import MssScreenSource, wait_for_content
from app.desktop.xvfb import VirtualDisplay
from grounding.parser import ScreenParser

PAGE = Path(__file__).resolve().parent / "pages" / "profile.html"


@pytest.mark.display
@pytest.mark.browser
def test_a_real_form_reads_as_a_person_names_it():
    with VirtualDisplay(1024, 600) as vd, ChromiumApp(PAGE.as_uri(), vd.display, 1024, 600):
        wait_for_content(vd.display)
        source = MssScreenSource(vd.display)
        try:
            screen = ScreenParser(incremental=False).parse(source.capture().image)
        finally:
            source.close()
    fields = {f.name: f.value for f in screen.by_role("text_field")}
    assert fields.get("Nickname") == "Ada Lovelace" and fields.get("Phone") == ""
    (language,) = screen.by_role("dropdown")
    assert language.name == "Language" and language.value.startswith("Norwegian")
    assert [b.name for b in screen.by_role("button")] == ["Save profile"]
    assert [link.name for link in screen.by_role("link")] == ["Terms of use"]  # not "Terms_of_use"
    assert not [h.name for h in screen.by_role("heading") if h.name in ("Nickname", "Phone", "Language")]
