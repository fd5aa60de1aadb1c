"""The settings dialog's layout: the model (provider, endpoint, model picker), grounding and input, safety, stop and
runs. It takes and gives a SettingsForm; the SettingsController reads and writes the config file."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
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
from app.qt.views.settings_form import ProviderChoice, SettingsForm

VERDICTS = ["allow", "ask", "deny"]
TABS = {"model": 0, "grounding": 1, "safety": 2, "stop": 3}


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


def _folder_row(edit: QWidget, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


def _picker() -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return box


class SettingsDialog(QDialog):
    """Layout only: ``fill`` and ``form`` move values in and out; the signals are its buttons."""

    save_clicked = Signal()
    test_clicked = Signal()

    def __init__(self, providers: list[ProviderChoice], vlm_names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("DeskPilot settings")
        self.setMinimumSize(680, 560)
        self._providers = {p.key: p for p in providers}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        self._tabs = QTabWidget()
        layout.addWidget(self._tabs, 1)
        self._model_tab(providers)
        self._agent_tab(vlm_names)
        self._safety_tab()
        self._stop_tab()
        self._path = _hint("")
        layout.addWidget(self._path)
        self._error = QLabel("")
        self._error.setStyleSheet(f"color:{theme.DANGER};")
        self._error.setWordWrap(True)
        self._error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._error)
        row = QHBoxLayout()
        row.addStretch(1)
        self._cancel_button = QPushButton("Cancel")
        self._save_button = QPushButton(theme.icon("check", "#ffffff", 16), " Save")
        self._save_button.setObjectName("Primary")
        row.addWidget(self._cancel_button)
        row.addWidget(self._save_button)
        layout.addLayout(row)
        self._cancel_button.clicked.connect(self.reject)
        self._save_button.clicked.connect(self.save_clicked)

    # -- layout ---------------------------------------------------------------------------------------------------
    def _model_tab(self, providers: list[ProviderChoice]) -> None:
        form = self._model_form = _form(self._tabs, "Model")
        self._direct_only = QCheckBox("Direct commands only: never ask a model, even when one is set up")
        self._provider = QComboBox()
        for choice in providers:
            self._provider.addItem(choice.label, choice.key)
        self._provider_hint = _hint("")
        self._base_url = QLineEdit()
        self._model = _picker()
        self._model_browse = QPushButton(theme.icon("folder", theme.INK, 16), "")
        self._model_browse.setToolTip("Choose a model folder")
        self._api_key = QLineEdit()
        self._api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self._price_in = QDoubleSpinBox(maximum=1000, decimals=3, suffix=" $/M in")
        self._price_out = QDoubleSpinBox(maximum=1000, decimals=3, suffix=" $/M out")
        self._max_cost = QDoubleSpinBox(maximum=1000, decimals=2, prefix="$ ", specialValueText="no limit")
        prices = QHBoxLayout()
        prices.addWidget(self._price_in)
        prices.addWidget(self._price_out)
        self._test_button = QPushButton(theme.icon("plug", theme.INK, 16), " Test connection")
        self._test_result = _hint("")
        self._test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self._direct_only)
        form.addRow("Provider", self._provider)
        form.addRow("", self._provider_hint)
        form.addRow("Endpoint", self._base_url)
        self._model_row = _folder_row(self._model, self._model_browse)
        form.addRow("Model", self._model_row)
        form.addRow("API key", self._api_key)
        form.addRow("Prices", prices)
        form.addRow("Budget per run", self._max_cost)
        form.addRow("", self._test_button)
        form.addRow("", self._test_result)
        self._provider.currentIndexChanged.connect(self._provider_shown)
        self._direct_only.toggled.connect(self._provider_shown)
        self._test_button.clicked.connect(self.test_clicked)
        self._model_browse.clicked.connect(lambda: self._pick_folder(self._model.lineEdit(), "A model folder"))

    def _agent_tab(self, vlm_names: list[str]) -> None:
        form = _form(self._tabs, "Grounding && input")
        self._grounding = QComboBox()
        for key, text in MODES.items():
            self._grounding.addItem(text, key)
        self._vlm_model = _picker()
        self._vlm_model.addItems(["", *vlm_names])
        self._vlm_model.lineEdit().setPlaceholderText("none: OCR and widget shapes only")
        self._vlm_ratio = QDoubleSpinBox(maximum=0.9, decimals=2, singleStep=0.1, specialValueText="off")
        self._input = QComboBox()
        self._input.addItem("XTest (built in)", "xtest")
        self._input.addItem("xdotool", "xdotool")
        self._display = QLineEdit()
        self._display.setPlaceholderText("this screen")
        self._max_steps = QSpinBox(minimum=1, maximum=500)
        self._patience = QSpinBox(minimum=0, maximum=100)
        self._hide_while_running = QCheckBox("Step aside while the agent works on this screen")
        self._workdir = QLineEdit()
        self._workdir.setPlaceholderText("a new temporary folder for each run")
        self._workdir_browse = QPushButton(theme.icon("folder", theme.INK, 16), "")
        self._workdir_browse.clicked.connect(lambda: self._pick_folder(self._workdir, "Where code runs"))
        form.addRow("Grounding", self._grounding)
        form.addRow("Vision grounder", self._vlm_model)
        form.addRow(_hint("A local vision-language model (Qwen2-VL family) that points at what the text names; "
                          "weights load on first use (`deskpilot models pull showui-2b`)."))
        form.addRow("Token selection", self._vlm_ratio)
        form.addRow("Input", self._input)
        form.addRow("Work on display", self._display)
        form.addRow(_hint("An X display such as :1 lets the agent work on another screen while you watch."))
        form.addRow("Max steps", self._max_steps)
        form.addRow("Looks for a target", self._patience)
        form.addRow(_hint("How many more times a direct command looks for a target not on the screen yet."))
        form.addRow("", self._hide_while_running)
        form.addRow("Work folder", _folder_row(self._workdir, self._workdir_browse))
        form.addRow(_hint("Where model-written code runs; approvals and results name it."))

    def _safety_tab(self) -> None:
        form = _form(self._tabs, "Safety")
        self._code = QComboBox()
        self._secrets = QComboBox()
        self._risky_clicks = QComboBox()
        for box in (self._code, self._secrets, self._risky_clicks):
            box.addItems(VERDICTS)
        self._allow = QPlainTextEdit()
        self._deny = QPlainTextEdit()
        for box in (self._allow, self._deny):
            box.setMaximumHeight(70)
            box.setPlaceholderText("one regular expression per line")
        form.addRow(_hint("“ask” shows an approval dialog and the run waits for your answer."))
        form.addRow("Model-written code", self._code)
        form.addRow("Typing secrets", self._secrets)
        form.addRow("Risky clicks", self._risky_clicks)
        form.addRow(_hint("A click on “Delete account”, “Pay now” and the like (or Enter on one, or an unnamed icon "
                          "the agent calls “the trash icon”); your own command naming it is not asked again."))
        form.addRow("Always allow", self._allow)
        form.addRow("Always deny", self._deny)

    def _stop_tab(self) -> None:
        form = _form(self._tabs, "Stop && runs")
        self._hotkey = QLineEdit()
        self._hotkey.setPlaceholderText("<ctrl>+<alt>+<shift>+s")
        self._failsafe = QCheckBox("Moving the pointer into a screen corner stops the run")
        self._runs_dir = QLineEdit()
        self._runs_browse = QPushButton(theme.icon("folder", theme.INK, 16), "")
        self._runs_browse.clicked.connect(lambda: self._pick_folder(self._runs_dir, "Where runs are kept"))
        form.addRow("Stop hotkey", self._hotkey)
        form.addRow(_hint("Works from any application, even while the agent types."))
        form.addRow("", self._failsafe)
        form.addRow("Runs folder", _folder_row(self._runs_dir, self._runs_browse))

    def _provider_shown(self) -> None:
        """Show the fields the chosen provider uses (none while direct commands only)."""
        choice = self._providers.get(self._provider.currentData())
        direct = self._direct_only.isChecked()
        fields = frozenset() if choice is None or direct else choice.fields
        self._provider.setEnabled(not direct)
        self._provider_hint.setText("Tasks are read as direct commands (click Save; type 'x' into Name)."
                                    if direct else choice.hint if choice else "")
        for widget, name in ((self._base_url, "base_url"), (self._api_key, "api_key")):
            self._model_form.setRowVisible(widget, name in fields)
        self._model_form.setRowVisible(self._model_row, "model" in fields)
        self._model_browse.setVisible("browse" in fields)
        self._test_button.setEnabled(not direct)
        if choice is not None:
            self._base_url.setPlaceholderText(choice.url_placeholder)
            self._model.lineEdit().setPlaceholderText(choice.model_placeholder)

    def _pick_folder(self, edit: QLineEdit, title: str) -> None:
        folder = QFileDialog.getExistingDirectory(self, title, edit.text())
        if folder:
            edit.setText(folder)

    # -- what the controller may do ---------------------------------------------------------------------------------
    def fill(self, f: SettingsForm) -> None:
        """Show ``f``'s values."""
        self._provider.setCurrentIndex(max(0, self._provider.findData(f.provider)))
        self._direct_only.setChecked(f.direct_only)
        self._base_url.setText(f.base_url)
        self._model.setEditText(f.model)
        self._api_key.setText(f.api_key)
        self._api_key.setPlaceholderText("kept in the keyring" if f.key_kept else "")
        for box, value in ((self._price_in, f.price_in), (self._price_out, f.price_out), (self._max_cost, f.max_cost),
                           (self._vlm_ratio, f.vlm_ratio)):
            box.setValue(value)
        self._vlm_model.setEditText(f.vlm_model)
        for box, key in ((self._grounding, f.grounding), (self._input, "xtest" if f.input == "pyautogui" else f.input)):
            box.setCurrentIndex(max(0, box.findData(key)))
        self._display.setText(f.display)
        self._max_steps.setValue(f.max_steps)
        self._patience.setValue(f.patience)
        self._hide_while_running.setChecked(f.hide_while_running)
        self._workdir.setText(f.workdir)
        self._code.setCurrentText(f.code)
        self._secrets.setCurrentText(f.secrets)
        self._risky_clicks.setCurrentText(f.risky_clicks)
        self._allow.setPlainText("\n".join(f.allow))
        self._deny.setPlainText("\n".join(f.deny))
        self._hotkey.setText(f.hotkey)
        self._failsafe.setChecked(f.failsafe)
        self._runs_dir.setText(f.runs_dir)
        self._provider_shown()

    def form(self) -> SettingsForm:
        """The values as the person left them (not yet checked)."""
        return SettingsForm(
            provider=str(self._provider.currentData()), base_url=self._base_url.text().strip(),
            model=self._model.currentText().strip(), api_key=self._api_key.text().strip(),
            price_in=self._price_in.value(), price_out=self._price_out.value(), max_cost=self._max_cost.value(),
            direct_only=self._direct_only.isChecked(), vlm_model=self._vlm_model.currentText().strip(),
            vlm_ratio=self._vlm_ratio.value(), grounding=str(self._grounding.currentData()),
            input=str(self._input.currentData()), display=self._display.text().strip(),
            max_steps=self._max_steps.value(), patience=self._patience.value(),
            hide_while_running=self._hide_while_running.isChecked(),
            workdir=self._workdir.text().strip(), code=self._code.currentText(),
            secrets=self._secrets.currentText(), risky_clicks=self._risky_clicks.currentText(),
            allow=_lines(self._allow.toPlainText()),
            deny=_lines(self._deny.toPlainText()), hotkey=self._hotkey.text().strip(),
            failsafe=self._failsafe.isChecked(), runs_dir=self._runs_dir.text().strip())

    def set_placeholders(self, runs_dir: str) -> None:
        self._runs_dir.setPlaceholderText(runs_dir)

    def set_note(self, text: str) -> None:
        """The line under the tabs: where the settings are saved."""
        self._path.setText(text)

    def set_error(self, text: str) -> None:
        self._error.setText(text)

    def error(self) -> str:
        return self._error.text()

    def set_testing(self) -> None:
        self._test_button.setEnabled(False)
        self._test_result.setStyleSheet("")
        self._test_result.setText("Testing…")

    def show_test(self, ok: bool, text: str, names: list[str]) -> None:
        """The connection test's sentence in full; the models the server lists become the picker's choices."""
        self._test_button.setEnabled(not self._direct_only.isChecked())
        self._test_result.setText(text)
        self._test_result.setStyleSheet(f"color:{theme.GOOD if ok else theme.DANGER};")
        if names:
            typed = self._model.currentText()
            self._model.clear()
            self._model.addItems(names)
            self._model.setEditText(typed or names[0])

    def test_result(self) -> str:
        return self._test_result.text()

    def model_choices(self) -> list[str]:
        return [self._model.itemText(i) for i in range(self._model.count())]

    def shown_fields(self) -> set[str]:
        """Which model fields the chosen provider shows (base_url, model, api_key)."""
        rows = {"base_url": self._base_url, "model": self._model_row, "api_key": self._api_key}
        return {name for name, field in rows.items() if self._model_form.isRowVisible(field)}

    def show_tab(self, name: str) -> None:
        self._tabs.setCurrentIndex(TABS[name])

    def current_tab(self) -> str:
        return next(k for k, v in TABS.items() if v == self._tabs.currentIndex())


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())
