"""The command verbs: each verb phrase and the frame (planner/language/frames.py) that reads what follows it."""

from __future__ import annotations

# verb phrases and the frame that reads what follows them
VERBS: dict[tuple[str, ...], str] = {
    ("click",): "click", ("click", "on"): "click", ("click", "into"): "click", ("click", "in"): "click",
    ("click", "at"): "click", ("tap", "on"): "click", ("follow",): "click", ("activate",): "click",
    ("open",): "click", ("toggle",): "click", ("visit",): "click",
    ("press",): "press", ("push",): "press", ("tap",): "press", ("hit",): "press", ("press", "on"): "press",
    ("double-click",): "double", ("double", "click"): "double", ("doubleclick",): "double", ("dblclick",): "double",
    ("right-click",): "right", ("right", "click"): "right", ("rightclick",): "right",
    ("middle-click",): "middle", ("middle", "click"): "middle", ("triple-click",): "triple",
    ("triple", "click"): "triple",
    ("go", "to"): "goto", ("navigate", "to"): "goto", ("switch", "to"): "goto", ("head", "to"): "goto",
    ("go", "back"): "back", ("go", "forward"): "forward",
    ("select",): "choose", ("choose",): "choose", ("pick",): "choose",
    ("check",): "check", ("tick",): "check", ("mark",): "check", ("enable",): "check", ("turn", "on"): "check",
    ("switch", "on"): "check",
    ("uncheck",): "uncheck", ("untick",): "uncheck", ("deselect",): "uncheck", ("unselect",): "uncheck",
    ("unmark",): "uncheck", ("disable",): "uncheck", ("turn", "off"): "uncheck", ("switch", "off"): "uncheck",
    ("type",): "type", ("enter",): "type", ("input",): "type", ("write",): "type", ("put",): "type",
    ("insert",): "type", ("key", "in"): "type", ("type", "in"): "type",
    ("fill",): "fill", ("fill", "in"): "fill", ("fill", "out"): "fill", ("complete",): "fill",
    ("set",): "set", ("adjust",): "set", ("change",): "set",
    ("drag",): "drag", ("move",): "drag", ("slide",): "drag",
    ("focus",): "focus", ("focus", "on"): "focus", ("focus", "into"): "focus", ("focus", "in"): "focus",
    ("hover",): "hover", ("hover", "over"): "hover", ("hover", "on"): "hover", ("mouse", "over"): "hover",
    ("scroll",): "scroll",
    ("wait",): "wait", ("pause",): "wait", ("sleep",): "wait",
    ("close",): "close", ("dismiss",): "close",
    ("clear",): "clear", ("empty",): "clear", ("erase",): "clear",
    ("search",): "search", ("search", "for"): "search", ("look", "up"): "search",
    ("expand",): "expand", ("unfold",): "expand", ("collapse",): "collapse", ("fold",): "collapse",
    ("copy",): "copy", ("paste",): "paste",
    ("submit",): "submit",
    ("find",): "find", ("locate",): "find", ("look", "for"): "find",
    ("read",): "read", ("read", "out"): "read", ("read", "off"): "read", ("tell", "me"): "read",
    ("what", "is"): "ask", ("what's",): "ask", ("what", "are"): "ask",  # about what a thing of another shows
    ("use",): "use",
    ("navigate", "through"): "explore", ("switch", "between"): "explore", ("go", "through"): "explore",
    ("look", "through"): "explore", ("browse",): "explore", ("explore",): "explore",
    ("navigate",): "explore",
}
# what an application's own buttons say: the verb names the control to click ("Remove Bread", "Checkout")
ACTIONS = ("remove delete add save apply confirm cancel checkout send buy order accept decline reject approve "
           "continue proceed retry refresh reload download upload share like unfollow subscribe unsubscribe reply "
           "archive print undo redo rename edit login logout register install publish post attach play mute unmute "
           "retweet block report join finish skip restart reset start").split()
VERBS |= {(a,): "act" for a in ACTIONS} | {
    ("check", "out"): "act", ("log", "in"): "act", ("log", "out"): "act", ("sign", "in"): "act",
    ("sign", "out"): "act", ("sign", "up"): "act", ("zoom", "in"): "act", ("zoom", "out"): "act"}
VERB_WORDS = frozenset(p[0] for p in VERBS)
QUESTION_WORDS = frozenset(p[0] for p, verb in VERBS.items() if verb == "ask")  # no verb to suggest for a typo
# words that may open a clause before its verb, or join clauses
CLAUSE_OPENERS = frozenset("then and also next now first finally lastly afterwards please so".split())
