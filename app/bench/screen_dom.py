"""Ground truth from Chromium's DOM: every visible control's role and accessible name (as WebDriver computes
them), value, states and box, and every visible line of text, in image pixels of the captured screen."""

from __future__ import annotations

from typing import Any

from app.bench.screen_truth import Truth, TruthControl, TruthLine
from grounding.elements import Box

# Candidate controls and text lines, in CSS pixels of the viewport, with what the DOM says about each.
COLLECT_JS = r"""
const W = innerWidth, H = innerHeight;
const shown = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
  return r.width >= 2 && r.height >= 2 && r.right > 0 && r.bottom > 0 && r.left < W && r.top < H
    && s.visibility !== 'hidden' && s.display !== 'none' && parseFloat(s.opacity || '1') > 0.05; };
const hits = (e, x, y) => { const h = document.elementFromPoint(x, y);
  return !!h && (h === e || e.contains(h) || (h.control === e) || (h.tagName === 'LABEL' && h.contains(e))); };
const visible = e => { if (!shown(e)) return false; const r = e.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 0), W - 1), y = Math.min(Math.max(r.top + r.height / 2, 0), H - 1);
  return hits(e, x, y) || (e.tagName === 'OPTION'); };
const SEL = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [contenteditable=true], ' +
  '[role=button], [role=link], [role=checkbox], [role=radio], [role=tab], [role=option], [role=menuitem], ' +
  '[role=menuitemcheckbox], [role=menuitemradio], [role=slider], [role=spinbutton], [role=combobox], ' +
  '[role=listbox], [role=textbox], [role=switch], [role=treeitem], [role=searchbox]';
const controls = [];
document.querySelectorAll(SEL).forEach(e => {
  if (e.tagName === 'OPTION') return;
  if (!visible(e)) return;
  const r = e.getBoundingClientRect();
  controls.push({el: e, tag: e.tagName.toLowerCase(), type: (e.type || '').toLowerCase(),
    box: [r.left, r.top, r.right, r.bottom], value: value(e), states: states(e), multiple: !!e.multiple,
    size: e.size || 0, menubar: !!e.closest('[role=menubar]'), parent: -1});
});
document.querySelectorAll('select').forEach(sel => {
  if (!(sel.multiple || sel.size > 1) || !visible(sel)) return;
  const parent = controls.findIndex(c => c.el === sel);
  const sr = sel.getBoundingClientRect();
  for (const o of sel.options) { const r = o.getBoundingClientRect();
    if (r.height < 2 || r.bottom <= sr.top + 1 || r.top >= sr.bottom - 1) continue;
    controls.push({el: o, tag: 'option', type: '', box: [r.left, r.top, Math.min(r.right, sr.right), r.bottom],
      value: '', states: (o.selected ? ['selected'] : []).concat(o.disabled ? ['disabled'] : []),
      multiple: false, size: 0, parent}); }
});
document.querySelectorAll('[role=option]').forEach(o => {
  if (!visible(o)) return; const r = o.getBoundingClientRect();
  if (controls.some(c => c.el === o)) return;
  controls.push({el: o, tag: o.tagName.toLowerCase(), type: '', box: [r.left, r.top, r.right, r.bottom],
    value: '', states: states(o), multiple: false, size: 0, parent: -1});
});
// what is styled as clickable (cursor: pointer) or listens for clicks itself (marked by read(), from the
// debugger) without a role: a span or div with a click handler
const clicks = e => !!e && (e.__deskpilotClicks === true || getComputedStyle(e).cursor === 'pointer');
document.querySelectorAll('body *').forEach(e => {
  const s = getComputedStyle(e);
  // a list item in a clickable list item is a node of a tree, clickable on its own; elsewhere the pointer an
  // element inherits from its parent makes it a part of the parent's control
  const node = e.tagName === 'LI' && !!e.parentElement && !!e.parentElement.closest('li');
  if (!clicks(e) || (!node && e.parentElement && e.parentElement !== document.body && clicks(e.parentElement)))
    return;
  const nodes = c => c.tag === 'clickable' && c.el.tagName === 'LI';
  if (controls.some(c => c.el === e || ((c.el.contains(e) || e.contains(c.el)) && !(node && nodes(c))))
      || !visible(e)) return;
  // a clickable picture is an icon button (an <img>, an <svg>, or an element drawn by its CSS image)
  const picture = ['IMG', 'svg', 'CANVAS'].includes(e.tagName) || s.content.startsWith('url(')
    || s.backgroundImage.startsWith('url(');
  if (!e.textContent.trim() && !e.querySelector('img, svg') && !picture) return;
  const r = e.getBoundingClientRect();
  // what a click on it does is what a person clicks it for, framed or not: a mail row opens the mail, a tree's
  // node (a list item of nested lists) is chosen; a block is named by its first line, as a person names a row
  const up = e.parentElement;
  const tree = e.tagName === 'LI' && (!!e.querySelector('ul, ol') || !!(up && up.closest('li'))
    || [...(up ? up.children : [])].some(li => li.querySelector('ul, ol')));
  const inline = s.display.startsWith('inline') && e.textContent.trim();
  const kind = inline ? 'link' : tree ? 'tree_item' : 'button';
  const text = inline ? e.innerText.trim() : (e.innerText.trim().split('\n')[0] || '').trim();
  let box = [r.left, r.top, r.right, r.bottom];
  // a node is its own row (what shows its name, not the full width of the list or its children)
  const label = tree ? [...e.children].find(k => !['UL', 'OL'].includes(k.tagName) && k.textContent.trim()) : null;
  if (label) { const f = label.getBoundingClientRect(); box = [f.left, f.top, f.right, f.bottom]; }
  controls.push({el: e, tag: 'clickable', type: kind, box: box, value: '',
    states: states(e), multiple: false, size: 0, parent: -1, text: text});
});
// a focusable handle inside a long, thin track is a slider a script made (jQuery UI's and the like): the track
document.querySelectorAll('[tabindex]').forEach(h => {
  const t = h.parentElement;
  if (h.tabIndex < 0 || h.hasAttribute('role') || h.matches(SEL) || !t || !shown(h) || !shown(t)) return;
  const tr = t.getBoundingClientRect(), hr = h.getBoundingClientRect();
  const long = Math.max(tr.width, tr.height), thin = Math.min(tr.width, tr.height);
  if (long < 3 * thin || long < 2 * Math.max(hr.width, hr.height)) return;
  if (controls.some(c => c.el === t || c.el === h || c.el.contains(t) || t.contains(c.el))) return;
  controls.push({el: t, tag: 'slider', type: '', box: [tr.left, tr.top, tr.right, tr.bottom],
    value: h.getAttribute('aria-valuenow') || '', states: states(h), multiple: false, size: 0, parent: -1});
});
// one control where the page nests two over the same box (a tab holding its link): the one with a role, else the
// outer one
const iou = (a, b) => { const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]); if (w <= 0 || h <= 0) return 0;
  const i = w * h, ar = x => (x[2] - x[0]) * (x[3] - x[1]); return i / (ar(a) + ar(b) - i); };
for (let i = controls.length - 1; i >= 0; i--) {
  const c = controls[i];
  const twin = controls.find(o => o !== c && (o.el.contains(c.el) || c.el.contains(o.el)) && iou(o.box, c.box) >= 0.6);
  if (!twin) continue;
  const roled = x => x.el.hasAttribute('role');
  const outer = twin.el.contains(c.el) ? twin : c;
  const keep = roled(c) !== roled(twin) ? (roled(c) ? c : twin) : outer;
  if (keep !== c) controls.splice(i, 1);
}
function value(e) {
  if (e.tagName === 'SELECT') return e.multiple || e.size > 1 ? '' : (e.selectedOptions[0] || {}).text || '';
  if (e.tagName === 'TEXTAREA') return e.value;
  if (e.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file'].includes(e.type))
    return e.value;
  if (e.getAttribute('role') === 'slider' || e.getAttribute('role') === 'spinbutton')
    return e.getAttribute('aria-valuetext') || e.getAttribute('aria-valuenow') || '';
  return '';
}
function states(e) {
  const out = [], a = n => e.getAttribute(n);
  if (e.checked || a('aria-checked') === 'true' || a('aria-pressed') === 'true') out.push('checked');
  if (e.indeterminate || a('aria-checked') === 'mixed') out.push('mixed');
  if (a('aria-selected') === 'true' || (e.tagName === 'OPTION' && e.selected)) out.push('selected');
  if (e.disabled || a('aria-disabled') === 'true') out.push('disabled');
  if (a('aria-expanded') === 'true') out.push('expanded');
  if (a('aria-expanded') === 'false') out.push('collapsed');
  if (document.activeElement === e) out.push('focused');
  if (e.type === 'password') out.push('password');
  if (e.readOnly) out.push('readonly');
  if (e.multiple || a('aria-multiselectable') === 'true') out.push('multiselectable');
  return out;
}
const SKIP = 'button, select, option, textarea, script, style, noscript, [role=button], [role=tab], ' +
  '[role=option], [role=menuitem], [role=slider], [role=spinbutton], [role=combobox], [role=listbox], ' +
  '[role=switch], [role=treeitem], [aria-hidden=true]';
const blockOf = new Map();
const block = e => { let b = e;
  while (b && b !== document.body) { if (blockOf.has(b)) return blockOf.get(b);
    const d = getComputedStyle(b).display; if (!d.startsWith('inline') && d !== 'contents') break;
    b = b.parentElement; }
  blockOf.set(e, b); return b; };
const words = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const range = document.createRange();
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const p = n.parentElement; if (!p || p.closest(SKIP) || !n.data.trim()) continue;
  const s = getComputedStyle(p); if (s.visibility === 'hidden' || parseFloat(s.opacity || '1') < 0.05) continue;
  const re = /\S+/g; let m;
  while ((m = re.exec(n.data))) {
    range.setStart(n, m.index); range.setEnd(n, m.index + m[0].length);
    const r = range.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.right <= 0 || r.bottom <= 0 || r.left >= W || r.top >= H) continue;
    const cx = Math.min(r.left + r.width / 2, W - 1), cy = Math.min(r.top + r.height / 2, H - 1);
    const h = document.elementFromPoint(cx, cy); if (!h || !(h === p || p.contains(h) || h.contains(p))) continue;
    words.push({text: m[0], box: [r.left, r.top, r.right, r.bottom], block: block(p)});
  }
}
const lines = [];
for (const w of words) {
  const l = lines.find(l => l.block === w.block && Math.abs((l.box[1] + l.box[3]) / 2 - (w.box[1] + w.box[3]) / 2)
    < 0.5 * Math.min(l.box[3] - l.box[1], w.box[3] - w.box[1]));
  if (l) { l.words.push(w); l.box = [Math.min(l.box[0], w.box[0]), Math.min(l.box[1], w.box[1]),
                                     Math.max(l.box[2], w.box[2]), Math.max(l.box[3], w.box[3])]; }
  else lines.push({block: w.block, words: [w], box: w.box.slice()});
}
const dpr = window.devicePixelRatio;
const ox = window.screenX + (window.outerWidth - window.innerWidth);
const oy = window.screenY + (window.outerHeight - window.innerHeight);
return {dpr, ox, oy, controls: controls.map(c => ({el: c.el, tag: c.tag, type: c.type, box: c.box, value: c.value,
  states: c.states, multiple: c.multiple, size: c.size, menubar: !!c.menubar, parent: c.parent, text: c.text || ''})),
  lines: lines.map(l => ({text: l.words.sort((a, b) => a.box[0] - b.box[0]).map(w => w.text).join(' '), box: l.box}))};
"""

ARIA_ROLES = {"button": "button", "link": "link", "checkbox": "checkbox", "switch": "checkbox", "radio": "radio",
              "tab": "tab", "slider": "slider", "option": "option", "menuitem": "menu_item",
              "menuitemcheckbox": "menu_item", "menuitemradio": "menu_item", "textbox": "text_field",
              "searchbox": "text_field", "spinbutton": "spin_box", "combobox": "dropdown", "listbox": "list_box",
              "treeitem": "tree_item", "gridcell": "cell", "listboxoption": "option", "popupbutton": "dropdown"}


def read(driver: Any, shape: tuple[int, ...]) -> Truth:
    """What the page in ``driver`` shows now, in image pixels of a capture of its display (``shape``: the
    capture's; what lies outside it is not on the screen)."""
    _mark_click_listeners(driver)
    data = driver.execute_script(COLLECT_JS)
    d, ox, oy = data["dpr"], data["ox"], data["oy"]
    screen = Box(0, 0, shape[1], shape[0])

    def box(b: list[float]) -> Box:
        return Box((b[0] + ox) * d, (b[1] + oy) * d, (b[2] + ox) * d, (b[3] + oy) * d)

    def shown(b: Box) -> Box | None:
        """The part of ``b`` on the screen, when at least half of it is."""
        inter = b.intersection(screen)
        if inter < 0.5 * b.area:
            return None
        return Box(max(0, b.x0), max(0, b.y0), min(screen.x1, b.x1), min(screen.y1, b.y1))

    controls = []
    for c in data["controls"]:
        role = _role(c, c["el"].aria_role)
        on_screen = shown(box(c["box"]))
        if role is None or on_screen is None:
            continue
        # a clickable span has no accessible name of its own: what it says names it, as a person would
        name = " ".join((c["el"].accessible_name or c["text"] if c["tag"] == "clickable" else
                         c["el"].accessible_name or "").split())
        states = frozenset(c["states"])
        if role == "tab":
            states -= {"expanded", "collapsed"}  # an open tab is its selected one; the panel is not the tab
        controls.append(TruthControl(role, name, on_screen, c["value"], states))
    lines = tuple(TruthLine(line["text"], box(line["box"])) for line in data["lines"]
                  if screen.expanded(2).contains(box(line["box"])))
    return Truth(tuple(_without_containers(controls)), lines)


CLICK_EVENTS = ("click", "mousedown", "mouseup", "pointerdown", "pointerup")


def _mark_click_listeners(driver: Any) -> None:
    """Mark each element of the page's body that listens for clicks itself (a script's handler, jQuery's included):
    such an element is clickable whatever cursor it shows, and Chromium's own tree says so too. Listeners a
    page puts on the whole document, to handle clicks below it, name no element and are not marked."""
    cdp = driver.execute_cdp_cmd
    found = cdp("Runtime.evaluate", {"expression": "Array.from(document.querySelectorAll('body *'))",
                                     "objectGroup": "deskpilot-truth"})
    array = found.get("result", {}).get("objectId")
    if not array:
        return
    try:
        items = cdp("Runtime.getProperties", {"objectId": array, "ownProperties": True})["result"]
        for item in items:
            element = item.get("value", {}).get("objectId") if item.get("name", "").isdigit() else None
            if not element:
                continue
            listeners = cdp("DOMDebugger.getEventListeners", {"objectId": element})["listeners"]
            if any(h["type"] in CLICK_EVENTS for h in listeners):
                cdp("Runtime.callFunctionOn", {"objectId": element,
                                               "functionDeclaration": "function () { this.__deskpilotClicks = true; }"})
    finally:
        cdp("Runtime.releaseObjectGroup", {"objectGroup": "deskpilot-truth"})


def _without_containers(controls: list[TruthControl]) -> list[TruthControl]:
    """A "control" holding other controls (a panel a script gave a role, a clickable card around its buttons) is
    a container: what a person points at are the controls in it. Lists and dropdowns keep their options."""
    return [c for c in controls if c.role in ("list_box", "dropdown") or not any(
        o is not c and c.box.contains(o.box, slack=2) and o.box.area < 0.8 * c.box.area for o in controls)]


def _role(c: dict, aria: str) -> str | None:
    """The screen model's role for a DOM control, from WebDriver's computed role and the element itself."""
    tag, kind = c["tag"], c["type"]
    if tag == "textarea" or (aria == "textbox" and tag not in ("input",) and kind == "textarea"):
        return "text_area"
    if tag == "select":
        return "list_box" if c["multiple"] or c["size"] > 1 else "dropdown"
    if (tag == "input" and kind == "range") or tag == "slider":
        return "slider"
    if tag == "input" and kind == "number":
        return "spin_box"
    if tag == "input" and kind in ("button", "submit", "reset", "image"):
        return "button"
    if tag == "clickable":
        return kind  # "link" for inline text, "tree_item" for a node of nested lists, "button" otherwise
    if tag == "input" and aria == "combobox":
        return "text_field"  # an editable combo box is typed into
    role = ARIA_ROLES.get((aria or "").lower())
    if role == "menu_item" and c.get("menubar"):
        return "menu_bar_item"
    if role is None and tag == "input" and kind not in ("checkbox", "radio", "file", "color"):
        return "text_field"
    return role
