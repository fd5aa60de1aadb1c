"""The API key in the desktop's keyring (the Secret Service on the session D-Bus: GNOME Keyring, KWallet, KeePassXC)
instead of in the config file, through the ``secretstorage`` package. ``api_key = "keyring"`` in ``[llm]`` says
the key is there; ``deskpilot keyring store`` and the app's Settings put it there."""

from __future__ import annotations

import os
from typing import Any

MARKER = "keyring"
ATTRIBUTES = {"application": "deskpilot", "setting": "llm.api_key"}
LABEL = "DeskPilot model API key"


class KeyringError(RuntimeError):
    """No usable keyring, or no key in it; the message says why and what to do."""


def _collection() -> Any:
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise KeyringError("there is no session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no keyring")
    try:
        import secretstorage
    except ImportError:
        raise KeyringError("the secretstorage package is missing: run `make install`") from None
    try:
        connection = secretstorage.dbus_init()
        if not secretstorage.check_service_availability(connection):
            raise KeyringError("no Secret Service answers on the session bus (start gnome-keyring or KeePassXC)")
        collection = secretstorage.get_default_collection(connection)
        if collection.is_locked():
            collection.unlock()  # the keyring asks the person for its password in its own dialog
        if collection.is_locked():
            raise KeyringError("the keyring is locked; unlock it and try again")
        return collection
    except secretstorage.exceptions.SecretStorageException as exc:
        raise KeyringError(f"the keyring cannot be used ({exc})") from None


def available() -> str:
    """'' when the keyring can hold the key, else the reason it cannot."""
    try:
        _collection()
    except KeyringError as exc:
        return str(exc)
    return ""


def store(key: str) -> None:
    """Put ``key`` in the keyring (replacing an earlier one)."""
    _collection().create_item(LABEL, ATTRIBUTES, key.encode("utf-8"), replace=True)


def fetch() -> str:
    """The key kept in the keyring; KeyringError when there is none."""
    for item in _collection().search_items(ATTRIBUTES):
        return item.get_secret().decode("utf-8")
    raise KeyringError("the config file says the API key is in the keyring, but the keyring holds none; run "
                       "`deskpilot keyring store` or enter it in the app's Settings")
