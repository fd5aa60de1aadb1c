"""Clicks that ask first: the rule that reads a control's name for an irreversible or costly act, the policy's
ruling on a model's click and on a direct command's, and the names the worker's ACI and the interpreter carry."""

import pytest

from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from grounding.router import Router
from planner.aci import Translator, View
from planner.actions import Click, from_json, to_json
from planner.direct import CommandAgent
from planner.policy import FixedApprover, Gate, Policy, PolicySettings, load_policy
from planner.protocols import Observation
from planner.replies import ClickA
from planner.risky import asked_for, risk
from tests.ui_world import World, el


@pytest.mark.parametrize("name, does", [
    ("Delete account", "deletes"),
    ("Yes, delete it", "deletes"),
    ("Permanently Delete", "deletes"),
    ("Remove user", "removes"),
    ("Erase all content", "erases"),
    ("Uninstall", "uninstalls"),
    ("Discard changes", "discards"),
    ("Factory reset", "resets"),
    ("Deactivate", "deactivates"),
    ("Close my account", "closes the account"),
    ("Cancel subscription", "cancels the subscription"),
    ("Pay now", "pays"),
    ("Buy", "buys"),
    ("Place order", "places an order"),
    ("Confirm payment", "pays"),
    ("Proceed to checkout", "checks out"),
    ("Send money", "sends money"),
    ("Empty Trash", "empties the trash"),
    ("Format disk", "formats the disk"),
    ("Close without Saving", "closes without saving, losing unsaved work"),
    ("Don\u2019t Save", "closes without saving, losing unsaved work"),
])
def test_a_name_that_says_an_irreversible_or_costly_act_is_risky(name, does):
    found = risk(name, "button")
    assert found is not None and found.does == does


@pytest.mark.parametrize("name, role", [
    ("Cancel", "button"),  # a dialog's dismiss
    ("Close", "button"),
    ("Save", "button"),
    ("Send", "button"),  # a message: sending is what mail tasks are for; money is named
    ("Deleted items", "link"),  # a folder, not the act
    ("Payments", "tab"),
    ("Payment methods", "link"),
    ("Don't delete", "button"),
    ("Do not remove", "button"),
    ("Move to Trash", "menu_item"),  # the trash gives it back
    ("Format", "menu_bar_item"),  # a menu that opens
    ("Delete my files too", "checkbox"),  # choosing; the button after it acts
    ("Delete", "text_field"),
    ("Learn how to remove a device from your account in a few steps", "link"),  # a sentence, not an act's name
    ("", "button"),
])
def test_names_that_do_not_say_such_an_act_are_not(name, role):
    assert risk(name, role) is None


def test_an_editors_delete_menu_item_asks_too():
    # an editor's Edit > Delete removes a selection Undo restores, but a file manager's Delete may be permanent:
    # the name cannot tell them apart, and the editor's usual way is the Delete key, which is not judged
    assert risk("Delete", "menu_item").does == "deletes"


def test_the_persons_words_say_the_act_only_in_its_own_words():
    found = risk("Delete account", "button")
    assert asked_for(found, "open Security and click Delete account")
    assert not asked_for(found, "click the red button")
    assert not asked_for(risk("Cancel subscription"), "click Cancel")  # the object too
    assert asked_for(risk("Confirm payment"), "confirm the payment")


def click(name: str, role: str = "button", command: str = "") -> Click:
    return Click(x=10, y=10, target="#3", name=name, role=role, command=command)


def test_a_models_click_on_a_risky_control_asks_and_says_why():
    ruling = Policy().judge(click("Delete account"))
    assert (ruling.verdict, ruling.rule) == ("ask", "risky_clicks: deletes")
    assert ruling.reason == "clicks 'Delete account', which asks first: 'Delete account' deletes"
    assert Policy().judge(click("Save")).verdict == "allow"
    assert Policy().judge(Click(x=1, y=1, target="#3")).verdict == "allow"  # nothing grounded: a bare point


def test_a_direct_command_that_names_the_act_goes_without_a_second_ask():
    ruling = Policy().judge(click("Delete account", command="click Delete account"))
    assert ruling.verdict == "allow"
    assert ruling.reason == "clicks 'Delete account': 'Delete account' deletes, as the command says " \
                            "('click Delete account')"
    assert Policy().judge(click("Delete account", command="click the first button")).verdict == "ask"


def test_the_setting_turns_it_off_or_denies_every_such_click(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[policy]\nrisky_clicks = "deny"\n')
    deny = Policy(load_policy(path))
    assert deny.judge(click("Delete account", command="click Delete account")).verdict == "deny"
    assert Policy(PolicySettings(risky_clicks="allow")).judge(click("Delete account")).verdict == "allow"


def test_always_allows_that_kind_of_act_for_the_run_and_no_other():
    answers = ["always", "deny"]

    class Person:
        def approve(self, action, ruling):
            return answers.pop(0)

    gate = Gate(Policy(), Person())
    assert gate.check(click("Delete row")).verdict == "allow"
    assert gate.check(click("Delete file")).verdict == "allow"  # not asked again: the person said always
    assert gate.check(click("Pay now")).verdict == "deny"  # another act: asked, and declined
    assert answers == []


def test_the_gate_asks_the_approver_and_records_the_answer():
    denied = Gate(Policy(), FixedApprover("deny", why="there is no terminal to ask")).check(click("Pay now"))
    assert denied.verdict == "deny"
    assert denied.reason == "there is no terminal to ask: it clicks 'Pay now', which asks first: 'Pay now' pays"
    assert Gate(Policy(), FixedApprover("once", why="allowed by --yes")).check(click("Pay now")).verdict == "allow"


def test_the_click_json_carries_the_name_only_when_known():
    assert "name" not in to_json(Click(x=1, y=2))
    grounded = click("Delete account", command="click Delete account")
    assert to_json(from_json(to_json(grounded))) == to_json(grounded)


SETTINGS = Screen(800, 600, tuple(e.with_(id=i) for i, e in enumerate((
    Element(Box(10, 10, 200, 40), "link", name="Security"),
    Element(Box(10, 60, 200, 90), "checkbox", name="Keep my posts"),
    Element(Box(10, 110, 200, 140), "button", name="Delete account"),
), 1)))


def test_the_workers_click_carries_the_grounded_name_and_role():
    t = Translator(Router(), View(SETTINGS, Frame(0, 0, 800, 600), (800, 600)))
    (by_id,) = t.steps(ClickA(type="click", target="#3"))
    (by_words,) = t.steps(ClickA(type="click", target='the "Delete account" button'))
    for step in (by_id, by_words):
        assert (step.name, step.role, step.command) == ("Delete account", "button", "")
        assert Policy().judge(step).verdict == "ask"  # a model chose it: it always asks


def first_click(command: str) -> Click:
    world = World([el("link", "Security", (10, 10, 200, 40)), el("button", "Delete account", (10, 110, 200, 140))])
    agent = CommandAgent.from_instruction(command, patience=1, retry_wait=0.0)
    decision = agent.decide(Observation(world.image.copy(), Frame(0, 0, *world.size)), world.screen())
    assert isinstance(decision.action, Click)
    return decision.action


def test_the_interpreters_click_carries_the_name_and_the_persons_clause():
    named = first_click("click Delete account")
    assert (named.name, named.role, named.command) == ("Delete account", "button", "click Delete account")
    assert Policy().judge(named).verdict == "allow"
    unnamed = first_click("click the first button")
    assert unnamed.name == "Delete account"
    assert Policy().judge(unnamed).verdict == "ask"  # the person's words did not say delete
