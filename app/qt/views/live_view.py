"""The screenshot the agent works from, scaled to fit, with the next action drawn on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.qt import theme
from app.runs.marks import Marks, short

if TYPE_CHECKING:
    import numpy as np


def to_qimage(image: np.ndarray) -> QImage:
    """An RGB uint8 array as a QImage that owns its pixels."""
    import numpy as np

    rgb = np.ascontiguousarray(image[:, :, :3])
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class LiveView(QWidget):
    """Paints an image and its Marks (in image pixels); an empty view shows a hint."""

    def __init__(self, hint: str = "The agent's screen appears here when a run starts.",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None
        self.marks = Marks()
        self.hint = hint
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_image(self, image: QImage | None, marks: Marks | None = None) -> None:
        self.image = image
        self.marks = marks or Marks()
        self.update()

    def image_rect(self) -> QRectF:
        """Where the image is drawn inside the widget (aspect kept, centred)."""
        if self.image is None or self.image.isNull():
            return QRectF()
        scale = min((self.width() - 8) / self.image.width(), (self.height() - 8) / self.image.height())
        w, h = self.image.width() * scale, self.image.height() * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self.image is None or self.image.isNull():
            painter.setPen(QPen(QColor("#cbd5e1"), 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(QColor("#f8fafc"))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(2, 2, -2, -2), 8, 8)
            painter.setPen(QColor(theme.MUTED))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.hint)
            return
        target = self.image_rect()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(15, 23, 42, 22))
        painter.drawRoundedRect(target.adjusted(-1, 1, 1, 3), 4, 4)  # a soft edge under the screenshot
        painter.drawImage(target, self.image)
        painter.setPen(QPen(QColor("#cbd5e1"), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target)
        self._paint_marks(painter, target, target.width() / self.image.width())

    def _paint_marks(self, painter: QPainter, target: QRectF, scale: float) -> None:
        accent = QColor(theme.ACCENT)

        def at(x: float, y: float) -> QPointF:
            return QPointF(target.left() + x * scale, target.top() + y * scale)

        m = self.marks
        if m.box:
            x0, y0, x1, y1 = m.box
            rect = QRectF(at(x0, y0), at(x1, y1)).adjusted(-3, -3, 3, 3)
            fill = QColor(accent)
            fill.setAlpha(40)
            painter.setBrush(fill)
            painter.setPen(QPen(accent, 2.5))
            painter.drawRoundedRect(rect, 4, 4)
        if m.point and m.drag_to:
            painter.setPen(QPen(accent, 3, Qt.PenStyle.DashLine))
            painter.drawLine(at(*m.point), at(*m.drag_to))
        anchor = at(*m.point) if m.point else (at(m.box[0], m.box[3]) if m.box else None)
        if m.point:
            p = at(*m.point)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor("white"), 6))
            painter.drawEllipse(p, 11, 11)
            painter.setPen(QPen(accent, 3))
            painter.drawEllipse(p, 11, 11)
            painter.setBrush(accent)
            painter.drawEllipse(p, 3.5, 3.5)
        if m.text:
            self._bubble(painter, anchor or QPointF(target.left() + 16, target.bottom() - 40), target,
                         f"⌨  {short(m.text, 48)}")

    def _bubble(self, painter: QPainter, anchor: QPointF, bounds: QRectF, text: str) -> None:
        """A dark label with the text to type, placed under the anchor and kept inside the image."""
        font = QFont(self.font())
        font.setPointSizeF(9.5)
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        w, h = metrics.horizontalAdvance(text) + 20, metrics.height() + 10
        x = min(max(anchor.x() - w / 2, bounds.left() + 4), bounds.right() - w - 4)
        y = anchor.y() + 18 if anchor.y() + 18 + h < bounds.bottom() else anchor.y() - 18 - h
        path = QPainterPath()
        path.addRoundedRect(QRectF(x, y, w, h), 8, 8)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.NIGHT))
        painter.drawPath(path)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(x, y, w, h), Qt.AlignmentFlag.AlignCenter, text)
