"""Every `deskpilot ...` command the README and docs/ show parses with the real command line: no flag, command or
choice in the documentation that the program does not have."""

import argparse
import re
import shlex
from pathlib import Path

import pytest

from app.cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# a command in a code block line or in backticks, with or without the virtualenv's path and an environment prefix
COMMAND = re.compile(r"(?:^|`|\s)(?:[A-Z_]+=\S+\s+)*(?:\.venv/bin/)?deskpilot((?:\s+[^`#\n|]*)?)")


def doc_lines(text: str) -> list[str]:
    """The document's lines, a backtick span that wraps onto the next line (outside code blocks) made one line."""
    text = text.replace("\\\n", " ")  # a shell line continued on the next
    parts = re.split(r"(```.*?```)", text, flags=re.S)
    joined = [p if p.startswith("```") else re.sub(r"`[^`\n]*\n[^`]*?`", lambda m: m.group(0).replace("\n", " "), p)
              for p in parts]
    return "".join(joined).splitlines()


def documented_commands() -> list[tuple[str, list[str]]]:
    """(where, arguments) for each command shown."""
    found = []
    for doc in DOCS:
        for n, line in enumerate(doc_lines(doc.read_text()), 1):
            line = re.sub(r"\[[^\]]*\]", "", line)  # optional parts, shown as [--flag X]
            for m in COMMAND.finditer(line):
                words = shlex.split(m.group(1).replace("...", ""))
                cut = next((i for i, w in enumerate(words) if w.endswith(",")), None)  # prose goes on after a comma
                words = words[:cut] + [words[cut].rstrip(",")] if cut is not None else words
                if words and re.fullmatch(r"[a-z-]+", words[0]) and words[0] not in ("is", "s"):
                    found.append((f"{doc.name}:{n}", words))
    return found


class Refused(Exception):
    """The command line refused the arguments (argparse would have printed usage and exited)."""


class Parser(argparse.ArgumentParser):
    """An argument parser that raises Refused instead of exiting."""

    def error(self, message: str) -> None:
        raise Refused(message)


def strict(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The same parser, every sub-parser raising instead of exiting."""
    parser.__class__ = Parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                strict(sub)
    return parser


def test_the_docs_show_commands():
    assert len(documented_commands()) >= 40


@pytest.mark.parametrize("where,args", documented_commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_a_documented_command_parses(where, args):
    parser = strict(build_parser())
    try:
        parser.parse_args(args)
    except Refused as exc:
        if str(exc).startswith("the following arguments are required"):
            return  # a command named in prose without its operands: what it names exists
        pytest.fail(f"{where}: `deskpilot {shlex.join(args)}` does not parse: {exc}")
