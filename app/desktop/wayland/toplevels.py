"""Window titles on a wlroots compositor, from wlr-foreign-toplevel-management (what taskbars read)."""

from __future__ import annotations

from app.desktop.wayland.wire import Connection, WaylandError, unpack

TOPLEVEL, TITLE = 0, 0


def window_titles(display: str) -> list[str]:
    """The title of every open window on the compositor at ``display`` ([] when it lists no windows)."""
    titles: dict[int, str] = {}
    try:
        with Connection(display) as conn:
            if "zwlr_foreign_toplevel_manager_v1" not in conn.globals:
                raise WaylandError("This compositor does not list its windows (wlr-foreign-toplevel-management).")

            def on_manager(opcode: int, data: bytes) -> None:
                if opcode == TOPLEVEL:
                    (handle,) = unpack("u", data)
                    titles[int(handle)] = ""
                    conn.adopt(int(handle), lambda op, d, h=int(handle): _on_handle(titles, h, op, d))

            conn.bind("zwlr_foreign_toplevel_manager_v1", 3, on_manager)
            conn.roundtrip()
            conn.roundtrip()  # the handles' title events follow their creation
    except WaylandError:
        return []
    return [t for t in titles.values() if t]


def _on_handle(titles: dict[int, str], handle: int, opcode: int, data: bytes) -> None:
    if opcode == TITLE:
        titles[handle] = str(unpack("s", data)[0])
