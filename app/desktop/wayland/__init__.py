"""Wayland: our own small client of the wire protocol, wlroots capture and input, the portal, headless sway."""
