"""The PySide6 desktop app: views hold layout, controllers hold logic; Qt is imported only here."""
