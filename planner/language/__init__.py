"""Direct commands as a language: one tokenizer, one grammar, typed intents and referring expressions.

`parse(command)` reads a command into intents (planner/language/intents.py); `parse_ref(description)` reads a
description of one thing on the screen into a referring expression (planner/language/refs.py). A command that
cannot be read raises LanguageError, one sentence naming the part and the closest form that is read.
"""

from grounding.refs.errors import MODEL_HINT, LanguageError
from grounding.refs.grammar import Ref, Relation, parse_ref
from planner.language.grammar import parse

__all__ = ["MODEL_HINT", "LanguageError", "Ref", "Relation", "parse", "parse_ref"]
