"""The DOM ground truth of `deskpilot bench screen` in real Chromium: an element that listens for clicks itself is
a control whatever cursor it shows (MiniWoB's social-media icons, pictures drawn by CSS, show the pointer only on
hover), and a plain picture or a page's document-wide listener makes nothing a control."""

import pytest

from app.bench import screen_dom
from app.bench.screen_pages import settle, shown_page

PAGE = """<!doctype html><html><head><title>Truth</title><style>
body { font: 16px sans-serif; margin: 20px; }
.icon { display: inline-block; width: 24px; height: 24px; margin: 8px;
        background-image: url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='24' height='24'%3E\
%3Ccircle cx='12' cy='12' r='10' fill='%2336c'/%3E%3C/svg%3E"); }
.hover:hover { cursor: pointer; }
</style></head><body>
<p>Reply <span class="icon hover" id="reply"></span> Like <span class="icon" id="like"></span>
Plain <span class="icon" id="plain"></span></p>
<p id="note">Read the terms before you sign.</p>
<script>
document.getElementById('reply').addEventListener('click', () => { document.title = 'reply'; });
document.getElementById('like').onmousedown = () => { document.title = 'like'; };
document.addEventListener('click', () => {});
</script></body></html>"""


@pytest.mark.display
@pytest.mark.browser
def test_elements_with_their_own_click_listeners_are_controls_of_the_truth(tmp_path):
    page = tmp_path / "truth.html"
    page.write_text(PAGE)
    with shown_page(page.as_uri(), 640, 400, 1.0, False) as (_, capture, driver):
        image = settle(capture)
        truth = screen_dom.read(driver, image.shape)
        boxes = {i: driver.execute_script(f"const r = document.getElementById('{i}').getBoundingClientRect();"
                                          "return [r.left, r.top];") for i in ("reply", "like", "plain")}
    buttons = [c for c in truth.controls if c.role == "button"]
    assert len(buttons) == 2, truth.controls
    xs = sorted(b.box.x0 for b in buttons)
    assert xs[0] < boxes["like"][0] <= xs[1] < boxes["plain"][0]  # reply and like, not the plain picture
    assert not [c for c in truth.controls if c.role != "button"]  # the paragraph and the document are no controls
