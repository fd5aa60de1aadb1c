"""TagStudio's rule, checked: views keep their widgets private and offer small methods and signals; controllers
never reach into a view (no other object's private attribute, no widget lookups), so a view's layout can change
without its controllers noticing."""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLayout, QSystemTrayIcon, QWidget

import app.qt.views as views_package
from app.qt.controllers.settings_controller import PROVIDERS
from app.qt.views.timeline import StepRow

ROOT = Path(__file__).resolve().parent.parent
CONTROLLER_FILES = sorted((ROOT / "app" / "qt" / "controllers").glob("*.py")) + [
    ROOT / "app" / "qt" / name for name in ("engine.py", "approver.py", "main.py", "screenshots.py")]
WIDGET_LOOKUPS = {"findChild", "findChildren", "centralWidget", "statusBar", "menuBar", "children", "layout",
                  "itemWidget", "widget", "cellWidget"}
ARGS = {"SettingsDialog": (PROVIDERS, ["showui-2b"]), "StepCard": (StepRow(1, "click Save"), None)}


def view_classes():
    found = {}
    for info in pkgutil.iter_modules(views_package.__path__):
        module = importlib.import_module(f"app.qt.views.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, (QWidget, QSystemTrayIcon)):
                found[name] = cls
    return found


def test_there_are_views_to_check():
    assert {"MainWindow", "RunsWindow", "SettingsDialog", "Overlay", "ApprovalDialog", "DetailsDialog",
            "Tray"} <= set(view_classes())


@pytest.mark.parametrize("name", sorted(view_classes()))
def test_a_view_exposes_no_widget(qtbot, name):
    view = view_classes()[name](*ARGS.get(name, ()))
    if isinstance(view, QWidget):
        qtbot.addWidget(view)
    public = {attr: value for attr, value in vars(view).items() if not attr.startswith("_")}
    widgets = sorted(a for a, v in public.items() if isinstance(v, (QWidget, QAction, QLayout, QSystemTrayIcon)))
    assert widgets == [], f"{name} exposes widgets {widgets}: make them private and offer a method or a signal"


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                found.append(f"{path.name}:{node.lineno} reads {ast.unparse(node)}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WIDGET_LOOKUPS:
            found.append(f"{path.name}:{node.lineno} looks up a widget with {ast.unparse(node.func)}()")
    return found


def test_controllers_never_reach_into_a_view():
    found = [v for path in CONTROLLER_FILES for v in _violations(path)]
    assert found == [], "\n".join(found)


def test_the_check_catches_what_it_should(tmp_path):
    bad = tmp_path / "bad_controller.py"
    bad.write_text("def f(self, window):\n    window._run_button.click()\n    self.window.statusBar().show()\n")
    assert len(_violations(bad)) == 2
