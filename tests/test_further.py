"""Pictures named by their shapes, and a click whose target is further on: what it belongs to scrolled into view,
its overflow menu ("•••") opened, the menu's entries scrolled into view (planner/doing/further.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw

from grounding.elements import Box, Screen
from grounding.icon_shapes import dot_rows, shape_name
from grounding.icons import find_icons
from grounding.locate import NotFound
from grounding.router import Router
from planner.actions import Click, Scroll
from planner.language import parse
from tests.ui_world import World, drive, el

GREY = 204  # #ccc: a light icon, as feeds and toolbars draw them


def _canvas(w: int = 120, h: int = 60) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    im = Image.new("L", (w, h), 255)
    return im, ImageDraw.Draw(im)


def heart(d: ImageDraw.ImageDraw, x: int, y: int, s: int = 28) -> None:
    r = s // 4
    d.ellipse((x, y, x + 2 * r + 1, y + 2 * r + 1), fill=GREY)
    d.ellipse((x + 2 * r - 1, y, x + 4 * r, y + 2 * r + 1), fill=GREY)
    d.polygon([(x, y + r + 1), (x + 4 * r, y + r + 1), (x + 2 * r, y + s - 2)], fill=GREY)


def reply(d: ImageDraw.ImageDraw, x: int, y: int) -> None:
    """An arrowhead pointing left, its shaft going right and bending down."""
    d.polygon([(x, y + 10), (x + 10, y), (x + 10, y + 20)], fill=GREY)
    d.rectangle((x + 10, y + 7, x + 22, y + 13), fill=GREY)
    d.rectangle((x + 18, y + 7, x + 24, y + 26), fill=GREY)


def loop(d: ImageDraw.ImageDraw, x: int, y: int) -> None:
    """Two arrows chasing each other: up on the left, down on the right, bars joining them."""
    d.polygon([(x, y + 9), (x + 6, y), (x + 12, y + 9)], fill=GREY)
    d.rectangle((x + 4, y + 9, x + 8, y + 22), fill=GREY)
    d.rectangle((x + 4, y + 18, x + 24, y + 22), fill=GREY)
    d.polygon([(x + 24, y + 13), (x + 36, y + 13), (x + 30, y + 22)], fill=GREY)
    d.rectangle((x + 28, y, x + 32, y + 13), fill=GREY)
    d.rectangle((x + 12, y, x + 32, y + 4), fill=GREY)


def test_shapes_name_a_heart_a_hooked_arrow_and_a_loop_of_arrows():
    for draw, glyph in ((heart, "♥"), (reply, "↩"), (loop, "🔁")):
        im, d = _canvas()
        draw(d, 10, 10)
        g = np.asarray(im)
        ys, xs = np.nonzero(g < 225)
        assert shape_name(g[ys.min():ys.max() + 1, xs.min():xs.max() + 1] < 225) == glyph, glyph


def test_a_square_a_disc_and_a_letter_have_no_icon_name():
    im, d = _canvas()
    d.rectangle((10, 10, 36, 36), fill=GREY)
    d.ellipse((50, 10, 76, 36), fill=GREY)
    g = np.asarray(im) < 225
    assert shape_name(g[10:37, 10:37]) == "" and shape_name(g[10:37, 50:77]) == ""


def test_three_dots_in_a_row_are_a_more_menu_two_are_not():
    dots = [Box(10 + 10 * i, 10, 18 + 10 * i, 18) for i in range(3)]
    assert [n for _, n in dot_rows(dots)] == ["•••"]
    assert dot_rows(dots[:2]) == []
    column = [Box(10, 10 + 12 * i, 18, 18 + 12 * i) for i in range(3)]
    assert [n for _, n in dot_rows(column)] == ["⋮"]


def test_light_icons_of_a_post_are_found_and_named_and_its_text_is_not():
    im, d = _canvas(320, 80)
    reply(d, 20, 30)
    loop(d, 80, 32)
    heart(d, 150, 30)
    for i in range(3):
        d.ellipse((220 + 11 * i, 40, 228 + 11 * i, 48), fill=GREY)
    for i in range(4):  # letters OCR did not give, close together on a line: words, not pictures
        d.rectangle((20 + 16 * i, 2, 32 + 16 * i, 20), fill=80)
    icons = find_icons(np.asarray(im), [], [])
    assert sorted(e.name for e in icons) == sorted(["↩", "🔁", "♥", "•••"])


def post(i: int, user: str, top: int) -> list:
    """A post: its author line, then a row of icons; the "•••" opens a menu (given as hidden options)."""
    y = top + 120 * i
    return [el("text", f"Name {user}", (20, y, 200, y + 20), line=10 + i),
            el("image", "↩", (30, y + 70, 58, y + 96)), el("image", "♥", (160, y + 70, 188, y + 96)),
            el("image", "•••", (230, y + 80, 260, y + 90))]


class Feed(World):
    """Posts in a box 360 high that scrolls 120 a notch; what is outside it is not shown."""

    def __init__(self, users: list[str], menu_for: int) -> None:
        items = [x for i, u in enumerate(users) for x in post(i, u, 20)]
        self.menu_at = 4 * menu_for + 4  # the id of that post's "•••"
        entries = ["Share via DM", "Copy link", "Embed", f"Mute {users[menu_for]}", f"Block {users[menu_for]}",
                   "Report"]
        y = 20 + 120 * menu_for + 96
        items += [el("option", n, (90, y + 36 * k, 280, y + 36 * (k + 1))) for k, n in enumerate(entries)]
        super().__init__(items)
        self.menu = list(range(4 * len(users) + 1, 4 * len(users) + 7))
        self.hidden = {self.menu_at: self.menu}
        self.shown -= set(self.menu)
        self.offset = 0
        self.base = {e.id: e.box for e in self.elements}
        self.clicks: list[tuple[float, float]] = []

    def screen(self) -> Screen:
        s = super().screen()
        moved = [e.with_(box=Box(e.box.x0, e.box.y0 - self.offset, e.box.x1, e.box.y1 - self.offset))
                 for e in s.elements]
        return replace(s, elements=tuple(e for e in moved if e.box.y0 >= 0 and e.box.y1 <= 380))

    def act(self, action: object) -> None:
        if isinstance(action, Scroll):
            self.offset = max(0, self.offset - 120 * action.dy)
        if isinstance(action, Click):
            action = replace(action, y=action.y + self.offset)
            self.clicks.append((action.x, action.y))
        super().act(action)


def test_for_a_user_below_the_fold_the_feed_is_scrolled_the_menu_opened_and_its_entry_clicked():
    world = Feed(["@ann", "@bo", "@cy", "@zed"], menu_for=3)
    result, world = drive('For the user @zed, click on the "Block" button.', world)
    assert result == "done"
    assert "click •••" in world.log and world.log[-1] == "click Block @zed"
    assert world.log.index("scroll") < world.log.index("click •••")


def test_an_icon_the_command_names_is_pointed_at_then_clicked_in_the_users_own_post():
    world = Feed(["@ann", "@bo"], menu_for=0)
    result, world = drive('For the user @bo, click on the "Like" button.', world)
    assert result == "done" and world.log[-3:] == ["move", "wait", "click ♥"]
    assert world.clicks[-1][1] > 140  # @bo's heart, not @ann's above it


def test_what_belongs_to_a_user_is_not_the_post_above_it():
    screen = Screen(800, 600, tuple(e.with_(id=i) for i, e in enumerate(post(0, "@ann", 20) + post(1, "@bo", 20), 1)))
    command = "click Reply for the user @bo"
    target = parse(command)[0].target
    chosen = Router().ground(target, screen, echo=command).match.element
    assert chosen.name == "↩" and chosen.box.y0 > 140


def test_what_belongs_to_a_user_is_not_in_the_post_below_it():
    hidden = post(1, "@bo", 20)[:1]  # @bo's own icons were not seen (its text runs over them)
    screen = Screen(800, 600, tuple(e.with_(id=i) for i, e in enumerate(post(0, "@ann", 20) + hidden
                                                                         + post(2, "@cy", 20), 1)))
    for command in ("click Reply for the user @bo", "click Reply for the user @ann"):
        target = parse(command)[0].target
        try:
            chosen = Router().ground(target, screen, echo=command).match.element
        except NotFound:
            chosen = None
        assert chosen is None if "@bo" in command else chosen.box.y0 < 140, command  # never @cy's


def test_a_users_handle_is_not_the_same_word_in_a_posts_text():
    screen = Screen(800, 600, tuple(e.with_(id=i) for i, e in enumerate(
        post(0, "@ann", 20) + [el("text", "Ultrices.", (20, 50, 120, 70), line=30)], 1)))
    command = "click Reply for the user @ultrices"
    with pytest.raises(NotFound):
        Router().ground(parse(command)[0].target, screen, echo=command)


def test_an_outlined_star_is_named_a_star_so_the_trash_can_beside_it_is_the_one_no_glyph_names():
    import math
    im, d = _canvas()
    points = [(23 + (13 if k % 2 == 0 else 5.5) * math.sin(k * math.pi / 5),
               24 - (13 if k % 2 == 0 else 5.5) * math.cos(k * math.pi / 5)) for k in range(10)]
    d.polygon(points, outline=90, width=2)
    g = np.asarray(im) < 225
    ys, xs = np.nonzero(g)
    assert shape_name(g[ys.min():ys.max() + 1, xs.min():xs.max() + 1]) == "☆"


class Fixed(Feed):
    """The same posts in a box that does not scroll: a wheel notch changes nothing."""

    def act(self, action: object) -> None:
        if isinstance(action, Scroll):
            self.log.append("scroll")
            return
        super().act(action)


def test_a_search_by_scrolling_stops_at_the_first_scroll_that_changes_nothing_and_says_so():
    world = Fixed(["@ann", "@bo", "@cy", "@zed"], menu_for=3)
    result, world = drive('For the user @zed, click on the "Block" button.', world)
    assert world.log.count("scroll") == 1
    assert "scrolling does not move this screen" in result


def test_a_scroll_that_moves_the_screen_goes_on_looking():
    world = Feed(["@ann", "@bo", "@cy", "@dee", "@eve", "@fay", "@zed"], menu_for=6)
    result, world = drive('For the user @zed, click on the "Block" button.', world)
    assert result == "done" and world.log.count("scroll") > 1
