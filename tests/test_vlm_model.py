"""Visual token selection inside a real (tiny, randomly initialised) Qwen2-VL built here: no download, CPU only."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from grounding.vlm_tokens import select_tokens  # noqa: E402
from models import vlm_random, vlm_select  # noqa: E402
from models.vlm import Prompter  # noqa: E402


@pytest.fixture(scope="module")
def tiny():
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

    tok = vlm_random.tokenizer()
    prompter = Prompter(tok, Qwen2VLImageProcessorPil(min_pixels=56 * 56, max_pixels=8 * 12 * 28 * 28),
                        vlm_random.CHAT_TEMPLATE)
    return vlm_random.model("tiny", tok), prompter


def screenshot():
    img = np.full((224, 336, 3), 250, np.uint8)  # 8 x 12 cells of flat background
    img[0:28] = (40, 60, 90)  # a title bar
    img[84:140, 56:168] = np.random.default_rng(0).integers(0, 255, (56, 112, 3))  # 2 x 4 busy cells
    return img


def encode(prompter, image=None):
    messages = [{"role": "user", "content": [{"type": "text", "text": "Where is it?"}, {"type": "image"},
                                             {"type": "text", "text": "the Save button"}]}]
    return prompter.encode(messages, screenshot() if image is None else image)


@torch.inference_mode()
def test_keep_all_gives_the_logits_of_the_unmodified_model(tiny):
    model, prompter = tiny
    enc = encode(prompter)
    reference = model(**enc.inputs).logits
    logits, cache = vlm_select.forward(model, vlm_select.prepare(model, enc.inputs), all_logits=True)
    assert logits.shape == reference.shape
    assert (logits - reference).abs().max().item() <= 1e-5


def test_the_model_sees_the_resize_the_grounder_maps_back_through(tiny):
    _, prompter = tiny
    enc = encode(prompter)
    assert enc.resized == (336, 224) and enc.grid == (8, 12)
    assert int(enc.inputs["mm_token_type_ids"].sum()) == 96
    assert np.abs(prompter.seen_image(enc).astype(int) - screenshot()).max() <= 1  # no resize needed here


@torch.inference_mode()
def test_pruned_prefill_drops_exactly_the_unselected_tokens(tiny):
    model, prompter = tiny
    enc = encode(prompter)
    sel = select_tokens(prompter.seen_image(enc), 0.5)
    assert sel.kept == 38 + 6 + 8  # background 76 cells keep 38, the title bar 12 keep 6, 8 lone cells stay
    keep = torch.as_tensor(sel.keep)
    full = vlm_select.prepare(model, enc.inputs)
    pruned = vlm_select.prepare(model, enc.inputs, keep)
    image = enc.inputs["input_ids"][0] == model.config.image_token_id
    expected_rows = torch.ones_like(image)
    expected_rows[image] = keep
    assert torch.equal(pruned.rows, expected_rows)
    assert pruned.embeds.shape[1] == full.embeds.shape[1] - (96 - sel.kept)
    assert (pruned.visual_tokens, pruned.kept_tokens) == (96, sel.kept)
    assert torch.equal(pruned.embeds, full.embeds[:, expected_rows])  # kept rows unchanged, in order
    assert torch.equal(pruned.position_ids, full.position_ids[:, :, expected_rows])  # original 3-D positions
    assert pruned.next_position == full.next_position  # the answer starts where it would have
    _, cache = vlm_select.forward(model, pruned)
    assert cache.get_seq_length() == pruned.embeds.shape[1]


def masked_reference(model, inputs, keep, steps):
    """The full prompt with the dropped tokens masked out of attention: what pruning must equal."""
    from transformers import DynamicCache

    full = vlm_select.prepare(model, inputs)
    image = inputs["input_ids"][0] == model.config.image_token_id
    mask = torch.ones_like(inputs["attention_mask"])
    mask[0, image] = keep.long()
    rest = {k: v for k, v in inputs.items() if k != "attention_mask"}
    out = model(**rest, position_ids=full.position_ids, attention_mask=mask, past_key_values=DynamicCache(
        config=model.config.get_text_config()), use_cache=True)
    logits, cache = [out.logits[0, -1]], out.past_key_values
    for step in range(steps - 1):
        token = logits[-1].argmax().view(1, 1)
        mask = torch.cat([mask, mask.new_ones(1, 1)], dim=1)
        pos = torch.full((3, 1, 1), full.next_position + step)
        out = model(input_ids=token, position_ids=pos, attention_mask=mask, past_key_values=cache, use_cache=True)
        logits.append(out.logits[0, -1])
    return [int(x.argmax()) for x in logits], logits


def pruned_half(tiny):
    """The tiny model, the encoded screenshot and ShowUI's selection at ratio 0.5."""
    model, prompter = tiny
    enc = encode(prompter)
    return model, enc, torch.as_tensor(select_tokens(prompter.seen_image(enc), 0.5).keep)


@torch.inference_mode()
def test_pruned_decoding_equals_the_full_model_with_those_tokens_masked(tiny):
    model, enc, keep = pruned_half(tiny)
    got = vlm_select.greedy(model, enc.inputs, keep, max_new_tokens=6)
    tokens, logits = masked_reference(model, enc.inputs, keep, 6)
    assert got.tokens == tokens and len(tokens) == 6
    for mine, ref in zip(got.step_logits, logits):
        assert (mine - ref).abs().max().item() < 1e-4
    unpruned = vlm_select.greedy(model, enc.inputs, None, max_new_tokens=6)
    assert (unpruned.step_logits[0] - got.step_logits[0]).abs().max().item() > 1e-3  # the pruning did something


@torch.inference_mode()
def test_after_a_pruned_prefill_transformers_own_decode_positions_are_right(tiny):
    model, enc, keep = pruned_half(tiny)
    got = vlm_select.greedy(model, enc.inputs, keep, max_new_tokens=2)
    prefill = vlm_select.prepare(model, enc.inputs, keep)
    _, cache = vlm_select.forward(model, prefill)  # leaves rope_deltas for the kept length on the model
    out = model(input_ids=torch.tensor([[got.tokens[0]]]), past_key_values=cache)  # positions from rope_deltas
    assert (out.logits[0, -1] - got.step_logits[1]).abs().max().item() <= 1e-5


@torch.inference_mode()
def test_keep_all_decoding_matches_transformers_generate(tiny):
    model, prompter = tiny
    enc = encode(prompter)
    mine = vlm_select.greedy(model, enc.inputs, None, max_new_tokens=5)
    out = model.generate(**enc.inputs, max_new_tokens=5, do_sample=False, output_logits=True,
                         return_dict_in_generate=True)
    assert mine.tokens == out.sequences[0, enc.inputs["input_ids"].shape[1]:].tolist()
    for a, b in zip(mine.step_logits, out.logits):
        assert (a - b[0]).abs().max().item() <= 1e-5


def test_selection_refuses_a_keep_mask_of_the_wrong_length(tiny):
    model, prompter = tiny
    enc = encode(prompter)
    with pytest.raises(ValueError, match="keep has 5 entries for 96 image tokens"):
        vlm_select.prepare(model, enc.inputs, torch.ones(5, dtype=torch.bool))
