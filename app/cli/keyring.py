"""`deskpilot keyring store`: move the model API key out of the config file into the desktop's keyring."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import CliError


def cmd_keyring_store(args: argparse.Namespace) -> int:
    from models import keyring
    from models.settings import SettingsError, config_path, read_config, save_tables

    path = config_path()
    try:
        llm = dict(read_config(path).get("llm", {}))
    except SettingsError as exc:
        raise CliError(str(exc)) from None
    key = sys.stdin.readline().strip() if args.stdin else str(llm.get("api_key", ""))
    if key in ("", "not-needed", keyring.MARKER):
        raise CliError(f"there is no API key to store: {path} holds none; pass it on standard input with --stdin.")
    try:
        keyring.store(key)
    except keyring.KeyringError as exc:
        raise CliError(f"the key cannot go into the keyring: {exc}.") from None
    save_tables({"llm": {**llm, "api_key": keyring.MARKER}}, path)
    print(f"the API key is in the keyring now; {path} says api_key = \"keyring\"")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register keyring."""
    p = sub.add_parser("keyring", help="keep the model API key in the desktop's keyring instead of the config file")
    ksub = p.add_subparsers(dest="keyring", required=True)
    store = ksub.add_parser("store", help="move the config file's API key (or one read from stdin) into the keyring")
    store.add_argument("--stdin", action="store_true", help="read the key from standard input")
    store.set_defaults(func=cmd_keyring_store)
