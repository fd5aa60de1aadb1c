"""The VLM grounder, model folders and the `deskpilot models` command, without a display, a GPU or a download."""

import json
from dataclasses import dataclass

import numpy as np
import pytest

from app.cli import main
from grounding.elements import Box, Element, Screen
from grounding.locate import NotFound
from grounding.router import Router, TextGrounder
from grounding.vlm import TokenSelection, VLMGrounder, messages
from models.settings import SettingsError, load_vlm
from models.vlm import ModelError, check_folder, resolve


@dataclass
class Encoded:
    resized: tuple[int, int]
    grid: tuple[int, int]


@dataclass
class ScriptedVLM:
    """Answers with a fixed text; records what it was shown."""

    answer: str
    style: str = "showui"
    resized: tuple[int, int] = (1344, 756)
    kept: int | None = None

    def encode(self, msgs, image):
        self.msgs = msgs
        return Encoded(self.resized, (self.resized[1] // 28, self.resized[0] // 28))

    def seen_image(self, encoded):
        w, h = encoded.resized
        img = np.full((h, w, 3), 240, np.uint8)
        img[:56, :] = 30
        return img

    def generate(self, encoded, keep=None, max_new_tokens=32, prune_vision=False, from_layer=0):
        self.kept = None if keep is None else int(keep.sum())
        self.prune_vision, self.from_layer = prune_vision, from_layer
        return self.answer


SCREEN = Screen(1920, 1080, (Element(Box(100, 100, 200, 130), "button", name="Save"),),
                image=np.zeros((1080, 1920, 3), np.uint8))


def test_showui_answer_maps_back_through_the_resize():
    model = ScriptedVLM("[0.5, 0.25]")
    match = VLMGrounder(model).candidates(_query("the Save button"), SCREEN, "")[0]
    assert match.element.box.center == pytest.approx((960, 270)) and match.element.source == "vlm"
    assert "Based on the screenshot of the page" in model.msgs[0]["content"][0]["text"]
    assert model.msgs[0]["content"][1] == {"type": "image"} and "Save" in model.msgs[0]["content"][2]["text"]


def test_uitars_pixels_on_the_resized_image_map_back():
    model = ScriptedVLM("click(start_box='(672,189)')", style="uitars")
    point = VLMGrounder(model).point('the "Save" button', SCREEN.image).point
    assert point.rounded() == (960, 270)


def test_token_selection_reaches_the_model():
    model = ScriptedVLM("[0.5, 0.5]")
    found = VLMGrounder(model, TokenSelection(0.5)).point("x", SCREEN.image)
    assert found.visual_tokens == 27 * 48 and found.kept_tokens == model.kept < found.visual_tokens
    assert model.prune_vision is False
    VLMGrounder(model, TokenSelection(0.5, prune_vision=True)).point("x", SCREEN.image)
    assert model.prune_vision is True and model.from_layer == 0
    VLMGrounder(model, TokenSelection(0.5, from_layer=3)).point("x", SCREEN.image)
    assert model.from_layer == 3
    VLMGrounder(model, TokenSelection(prune_vision=True)).point("x", SCREEN.image)
    assert model.kept is None and model.prune_vision is False  # ratio 0: selection off, nothing to prune


def test_an_answer_without_a_point_is_an_observation_not_a_crash():
    grounder = VLMGrounder(ScriptedVLM("I cannot see a save button"))
    with pytest.raises(NotFound, match="the VLM could not point at .*no point in the answer"):
        grounder.candidates(_query("the Save button"), SCREEN, "")
    router = Router([grounder])
    with pytest.raises(NotFound, match="nothing on the screen matches .*; the VLM could not point"):
        router.ground("the Save button", SCREEN)
    g = Router([TextGrounder(), grounder]).ground('the "Save" button', SCREEN)  # the text grounder still answers
    assert g.source == "text"


def test_router_takes_the_vlm_point_when_words_do_not_fit():
    router = Router([TextGrounder(), VLMGrounder(ScriptedVLM("[0.9, 0.9]"))])
    g = router.ground("the gear icon", SCREEN)
    assert g.source == "vlm" and g.match.element.box.center == pytest.approx((1728, 972))


def test_random_tiny_model_answers_become_observations():
    pytest.importorskip("torch")
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

    from models import vlm_random
    from models.vlm import LocalVLM, Prompter

    tok = vlm_random.tokenizer()
    prompter = Prompter(tok, Qwen2VLImageProcessorPil(min_pixels=56 * 56, max_pixels=6 * 8 * 28 * 28),
                        vlm_random.CHAT_TEMPLATE)
    grounder = VLMGrounder(LocalVLM.from_parts(vlm_random.model("tiny", tok), prompter),
                           TokenSelection(0.5, prune_vision=True), max_new_tokens=6)
    image = np.full((300, 400, 3), 250, np.uint8)
    too_deep = VLMGrounder(grounder.model, TokenSelection(0.5, from_layer=3))
    with pytest.raises(ModelError, match="has 2 language-model layers; from_layer must be 0-2"):
        too_deep.point("the Save button", image)  # one sentence for the person, not a traceback
    try:
        found = grounder.point("the Save button", image)  # random weights: almost surely no point
        assert 0 <= found.point.x <= 400 and 0 <= found.point.y <= 300
    except ValueError as exc:  # AnswerError is a ValueError: what the router turns into NotFound
        assert "answer" in str(exc)


def _query(text):
    from grounding.refs import parse_ref

    return parse_ref(text)


def test_prompts_come_from_the_template_file():
    assert messages("uitars", "the OK button")[0]["content"][0] == {"type": "image"}
    with pytest.raises(ValueError, match="unknown answer style"):
        messages("llava", "x")


def test_model_folders_that_cannot_run_get_one_sentence(tmp_path):
    with pytest.raises(ModelError, match="no config.json"):
        check_folder(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "llama"}))
    with pytest.raises(ModelError, match="'llama' model; DeskPilot runs the Qwen2-VL family"):
        check_folder(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "qwen2_vl"}))
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {
        "a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}))
    (tmp_path / "model-00001-of-00002.safetensors").write_bytes(b"x")
    with pytest.raises(ModelError, match="half-downloaded .model-00002-of-00002.safetensors missing"):
        check_folder(tmp_path)
    (tmp_path / "model-00002-of-00002.safetensors").write_bytes(b"x")
    assert check_folder(tmp_path) == "qwen2_vl"
    with pytest.raises(ModelError, match="neither a folder nor in the Hugging Face cache"):
        resolve("showui-2b-not-here")


def test_a_saved_tiny_model_loads_from_its_folder_and_answers(tmp_path):
    pytest.importorskip("torch")
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

    from models import vlm_random
    from models.vlm import LocalVLM

    tok = vlm_random.tokenizer()
    vlm_random.model("tiny", tok).save_pretrained(tmp_path)
    tok.save_pretrained(tmp_path)
    Qwen2VLImageProcessorPil().save_pretrained(tmp_path)
    model = LocalVLM(str(tmp_path), "cpu", 56 * 56, 6 * 8 * 28 * 28)
    enc = model.encode(messages("showui", "the Save button"), np.full((200, 300, 3), 200, np.uint8))
    assert enc.resized[0] % 28 == 0 and enc.resized[0] * enc.resized[1] <= 6 * 8 * 28 * 28
    assert isinstance(model.generate(enc, max_new_tokens=3), str)


def test_models_command(monkeypatch, capsys):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there: as good as offline
    assert main(["models", "pull", "showui-2b"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "needs the internet" in err
    assert main(["models", "list"]) == 0
    assert "showlab/ShowUI-2B" in capsys.readouterr().out
    assert main(["models", "path", "/nonexistent/model"]) == 2


def test_vlm_settings_layer_file_env_and_flags(tmp_path, monkeypatch):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[vlm]\nmodel = "showui-2b"\ntoken_ratio = 0.3\n')
    monkeypatch.setenv("DESKPILOT_VLM_AGGRESSIVE", "true")
    s = load_vlm({"token_ratio": 0.5}, path=cfg)
    assert (s.model, s.token_ratio, s.aggressive, s.selection) == ("showui-2b", 0.5, True, "uniform")
    assert s.prune_vision is False and load_vlm({"prune_vision": True}, path=cfg).prune_vision
    assert TokenSelection.of(load_vlm({"from_layer": 2}, path=cfg)) == TokenSelection(0.3, 1.0, "uniform", True,
                                                                                      False, 2)
    assert s.from_layer == 0 and load_vlm({"from_layer": 4}, path=cfg).from_layer == 4
    with pytest.raises(SettingsError, match="prune_vision and from_layer cannot be combined"):
        load_vlm({"from_layer": 4, "prune_vision": True}, path=cfg)
    with pytest.raises(SettingsError, match="'from_layer' is invalid"):
        load_vlm({"from_layer": -1}, path=cfg)
    with pytest.raises(SettingsError, match="'token_ratio' is invalid"):
        load_vlm({"token_ratio": 1.5}, path=cfg)
