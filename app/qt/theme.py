"""The look: one palette, one stylesheet, a font stack, and the SVG icons in assets/icons tinted on load."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QFont, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

ICONS = Path(__file__).resolve().parents[2] / "assets" / "icons"
FONTS = ["Inter", "Noto Sans", "Cantarell", "Segoe UI", "Liberation Sans", "DejaVu Sans"]

INK = "#0f172a"
MUTED = "#64748b"
LINE = "#e2e8f0"
CANVAS = "#f1f4f9"
SURFACE = "#ffffff"
ACCENT = "#2563eb"
ACCENT_DARK = "#1d4ed8"
DANGER = "#dc2626"
WARN = "#d97706"
GOOD = "#16a34a"
NIGHT = "#0f172a"
STATUS_COLOURS = {"done": GOOD, "failed": DANGER, "error": DANGER, "stopped": WARN, "max_steps": WARN,
                  "timeout": WARN, "running": ACCENT, "paused": WARN, "idle": MUTED}

STYLE = f"""
QWidget {{ color: {INK}; font-size: 10pt; }}
QMainWindow, QDialog {{ background: {CANVAS}; }}
#Card {{ background: {SURFACE}; border: 1px solid {LINE}; border-radius: 10px; }}
#Header {{ background: {NIGHT}; }}
#Header QLabel {{ color: #e2e8f0; }}
#Brand {{ font-size: 13pt; font-weight: 600; color: #ffffff; }}
#Profile {{ color: #93c5fd; background: #1e293b; border-radius: 10px; padding: 3px 10px; font-size: 9pt; }}
#Title {{ font-size: 11pt; font-weight: 600; }}
#Muted, QLabel[muted="true"] {{ color: {MUTED}; }}
#Thought {{ color: #334155; font-style: italic; }}
QComboBox, QLineEdit, QSpinBox, QDoubleSpinBox, QPlainTextEdit {{ background: {SURFACE}; border: 1px solid #cbd5e1;
  border-radius: 7px; padding: 6px 9px; selection-background-color: {ACCENT}; }}
QComboBox:focus, QLineEdit:focus, QPlainTextEdit:focus {{ border: 1px solid {ACCENT}; }}
QComboBox::drop-down {{ border: none; width: 30px; }}
QComboBox::down-arrow {{ image: url("{(ICONS / 'chevron-down.svg').as_posix()}"); width: 14px; height: 14px; }}
QComboBox QAbstractItemView {{ background: {SURFACE}; border: 1px solid {LINE}; selection-background-color: #eff6ff;
  selection-color: {INK}; padding: 4px; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ width: 0; border: none; }}
#TaskBox {{ font-size: 11.5pt; padding: 8px 12px; }}
QPushButton {{ background: {SURFACE}; border: 1px solid #cbd5e1; border-radius: 7px; padding: 7px 14px; }}
QPushButton:hover {{ background: #f8fafc; border-color: #94a3b8; }}
QPushButton:disabled {{ color: #94a3b8; background: #f1f5f9; border-color: {LINE}; }}
QPushButton#Primary {{ background: {ACCENT}; color: white; border: 1px solid {ACCENT_DARK}; font-weight: 600; }}
QPushButton#Primary:hover {{ background: {ACCENT_DARK}; }}
QPushButton#Primary:disabled {{ background: #93c5fd; border-color: #93c5fd; }}
QPushButton#Danger {{ background: {DANGER}; color: white; border: 1px solid #b91c1c; font-weight: 600; }}
QPushButton#Danger:disabled {{ background: #fca5a5; border-color: #fca5a5; }}
QPushButton#Flat {{ background: transparent; border: none; color: #cbd5e1; padding: 6px 8px; }}
QPushButton#Flat:hover {{ color: white; background: #1e293b; }}
QListWidget, QTreeWidget {{ background: {SURFACE}; border: none; outline: none; }}
QListWidget::item {{ border-bottom: 1px solid #eef2f7; padding: 2px; }}
QListWidget::item:selected, QTreeWidget::item:selected {{ background: #eff6ff; color: {INK}; }}
QTreeWidget::item {{ padding: 5px 2px; border-bottom: 1px solid #eef2f7; }}
QHeaderView::section {{ background: {SURFACE}; border: none; border-bottom: 1px solid {LINE}; padding: 6px;
  color: {MUTED}; font-weight: 600; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {LINE}; color: {MUTED}; }}
QStatusBar QLabel {{ color: #334155; padding: 0 8px; }}
QTabWidget::pane {{ border: 1px solid {LINE}; border-radius: 8px; background: {SURFACE}; top: -1px; }}
QTabBar::tab {{ padding: 7px 16px; color: {MUTED}; border: none; }}
QTabBar::tab:selected {{ color: {ACCENT}; border-bottom: 2px solid {ACCENT}; font-weight: 600; }}
QGroupBox {{ border: 1px solid {LINE}; border-radius: 8px; margin-top: 14px; padding: 12px 10px 8px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {MUTED}; font-weight: 600; }}
QScrollArea {{ border: none; background: transparent; }}
QSplitter::handle {{ background: transparent; }}
#Overlay {{ background: {NIGHT}; border: 1px solid #334155; border-radius: 12px; }}
#Overlay QLabel {{ color: #e2e8f0; }}
#Code {{ font-family: "DejaVu Sans Mono", monospace; background: #f8fafc; border: 1px solid {LINE};
  border-radius: 7px; padding: 8px; }}
"""


def apply(app: QApplication) -> None:
    """The application-wide font, style and stylesheet."""
    app.setStyle("Fusion")
    font = QFont()
    font.setFamilies(FONTS)
    font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(STYLE)
    app.setWindowIcon(logo())


@cache
def icon(name: str, colour: str = INK, size: int = 20) -> QIcon:
    """An icon from assets/icons, its strokes and fills tinted ``colour``."""
    svg = (ICONS / f"{name}.svg").read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    result = QIcon()
    for scale in (1, 2):
        pix = QPixmap(QSize(size * scale, size * scale))
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        renderer.render(painter)
        painter.end()
        pix.setDevicePixelRatio(scale)
        result.addPixmap(pix)
    return result


@cache
def logo() -> QIcon:
    return QIcon(str(ICONS / "logo.svg"))


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, MUTED)
