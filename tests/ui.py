"""Driving the app's views in tests as a person would: their widgets are private (controllers may not touch them),
so a test that clicks a button or types into a field reaches the widget here, by the name the view gives it."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def part(view: QWidget, name: str) -> QWidget:
    """The view's widget ``name`` (its private attribute ``_name``)."""
    return getattr(view, f"_{name}")


def click(qtbot, view: QWidget, name: str) -> None:
    """A left click on the view's widget ``name``."""
    qtbot.mouseClick(part(view, name), Qt.MouseButton.LeftButton)
