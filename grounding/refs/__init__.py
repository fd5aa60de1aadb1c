"""Referring expressions: how a person says which thing on the screen they mean, read into a Ref.

`parse_ref(description)` reads "the 2nd text field", 'the "OK" button in the dialog' or "press Two"'s two readings;
the command grammar (planner/language) reads its targets with the same grammar. A Ref is grounded on a Screen by
grounding/locate.py (one reading) and grounding/router.py (every reading, the one the screen supports best).
"""

from grounding.refs.errors import LanguageError
from grounding.refs.grammar import Ref, Relation, parse_ref

__all__ = ["LanguageError", "Ref", "Relation", "parse_ref"]
