"""The settings dialog's layout: model endpoint, grounding and input, safety policy, stop and runs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.engine.parsers import MODES
from app.qt import theme

VERDICTS = ["allow", "ask", "deny"]


def _form(parent: QTabWidget, title: str) -> QFormLayout:
    page = QWidget()
    form = QFormLayout(page)
    form.setContentsMargins(18, 16, 18, 16)
    form.setVerticalSpacing(10)
    form.setHorizontalSpacing(14)
    parent.addTab(page, title)
    return form


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("Muted")
    label.setWordWrap(True)
    return label


class SettingsDialog(QDialog):
    """Widgets only; the SettingsController fills them from the config file and saves them back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("DeskPilot settings")
        self.setMinimumSize(600, 480)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self._model_tab()
        self._agent_tab()
        self._safety_tab()
        self._stop_tab()
        self.path_label = _hint("")
        layout.addWidget(self.path_label)
        self.error = QLabel("")
        self.error.setStyleSheet(f"color:{theme.DANGER};")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.save_button = QPushButton(theme.icon("check", "#ffffff", 16), " Save")
        self.save_button.setObjectName("Primary")
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        layout.addLayout(row)

    def _model_tab(self) -> None:
        form = _form(self.tabs, "Model")
        form.addRow(_hint("Any OpenAI-compatible server: vLLM, SGLang, Ollama, llama.cpp, LM Studio, OpenAI. "
                          "Leave the endpoint empty to use direct commands only."))
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("http://127.0.0.1:11434/v1")
        self.model = QLineEdit()
        self.model.setPlaceholderText("qwen2.5vl:7b")
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.price_in = QDoubleSpinBox(maximum=1000, decimals=3, suffix=" $/M in")
        self.price_out = QDoubleSpinBox(maximum=1000, decimals=3, suffix=" $/M out")
        self.max_cost = QDoubleSpinBox(maximum=1000, decimals=2, prefix="$ ", specialValueText="no limit")
        prices = QHBoxLayout()
        prices.addWidget(self.price_in)
        prices.addWidget(self.price_out)
        self.test_button = QPushButton(theme.icon("plug", theme.INK, 16), " Test connection")
        self.test_result = _hint("")
        test = QHBoxLayout()
        test.addWidget(self.test_button)
        test.addWidget(self.test_result, 1)
        form.addRow("Endpoint", self.base_url)
        form.addRow("Model", self.model)
        form.addRow("API key", self.api_key)
        form.addRow("Prices", prices)
        form.addRow("Budget per run", self.max_cost)
        form.addRow("", test)

    def _agent_tab(self) -> None:
        form = _form(self.tabs, "Grounding && input")
        self.grounding = QComboBox()
        for key, text in MODES.items():
            self.grounding.addItem(text, key)
        self.input = QComboBox()
        self.input.addItem("pyautogui (XTest)", "pyautogui")
        self.input.addItem("xdotool", "xdotool")
        self.display = QLineEdit()
        self.display.setPlaceholderText("this screen")
        self.max_steps = QSpinBox(minimum=1, maximum=500)
        self.hide_while_running = QCheckBox("Step aside while the agent works on this screen")
        form.addRow("Grounding", self.grounding)
        form.addRow("Input", self.input)
        form.addRow("Work on display", self.display)
        form.addRow(_hint("An X display such as :1 lets the agent work on another screen while you watch."))
        form.addRow("Max steps", self.max_steps)
        form.addRow("", self.hide_while_running)

    def _safety_tab(self) -> None:
        form = _form(self.tabs, "Safety")
        self.code = QComboBox()
        self.secrets = QComboBox()
        for box in (self.code, self.secrets):
            box.addItems(VERDICTS)
        self.allow = QPlainTextEdit()
        self.deny = QPlainTextEdit()
        for box in (self.allow, self.deny):
            box.setMaximumHeight(70)
            box.setPlaceholderText("one regular expression per line")
        form.addRow(_hint("“ask” shows an approval dialog and the run waits for your answer."))
        form.addRow("Model-written code", self.code)
        form.addRow("Typing secrets", self.secrets)
        form.addRow("Always allow", self.allow)
        form.addRow("Always deny", self.deny)

    def _stop_tab(self) -> None:
        form = _form(self.tabs, "Stop && runs")
        self.hotkey = QLineEdit()
        self.hotkey.setPlaceholderText("<ctrl>+<alt>+<shift>+s")
        self.failsafe = QCheckBox("Moving the pointer into a screen corner stops the run")
        self.runs_dir = QLineEdit()
        self.browse_button = QPushButton(theme.icon("folder", theme.INK, 16), "")
        runs = QHBoxLayout()
        runs.addWidget(self.runs_dir, 1)
        runs.addWidget(self.browse_button)
        form.addRow("Stop hotkey", self.hotkey)
        form.addRow(_hint("Works from any application, even while the agent types."))
        form.addRow("", self.failsafe)
        form.addRow("Runs folder", runs)
