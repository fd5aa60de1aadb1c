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


@pytest.fixture(scope="module")
def tiny25(tiny):
    """A tiny Qwen2.5-VL: windowed attention in the vision tower (windows of 4x4 tokens), full attention in block 1."""
    from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration

    _, prompter = tiny
    tok = prompter.tokenizer
    ids = {name: tok.convert_tokens_to_ids(name) for name in vlm_random.SPECIAL}
    text = {**vlm_random.SIZES["tiny"]["text"], "vocab_size": len(tok), "bos_token_id": ids["<|endoftext|>"],
            "eos_token_id": ids["<|im_end|>"], "pad_token_id": ids["<|endoftext|>"]}
    vision = {"depth": 2, "hidden_size": 32, "intermediate_size": 64, "num_heads": 2, "out_hidden_size": 64,
              "window_size": 112, "fullatt_block_indexes": [1], "initializer_range": 0.2}
    config = Qwen2_5_VLConfig(text_config=text, vision_config=vision, image_token_id=ids["<|image_pad|>"],
                              video_token_id=ids["<|video_pad|>"], vision_start_token_id=ids["<|vision_start|>"],
                              vision_end_token_id=ids["<|vision_end|>"])
    config._attn_implementation = "sdpa"
    torch.manual_seed(0)
    return Qwen2_5_VLForConditionalGeneration(config).eval(), prompter


@pytest.fixture(params=["tiny", "tiny25"])
def family(request):
    return request.getfixturevalue(request.param)


@torch.inference_mode()
def test_pruned_vision_tower_with_every_token_kept_is_the_full_tower(family):
    model, enc, _ = pruned_half(family)
    full = vlm_select.visual_embeds(model, enc.inputs)
    every = vlm_select.visual_embeds(model, enc.inputs, torch.ones(96, dtype=torch.bool))
    assert (every - full).abs().max().item() <= 1e-6


@torch.inference_mode()
def test_pruned_vision_tower_never_reads_the_dropped_patches(family):
    model, enc, keep = pruned_half(family)
    rows = vlm_select.visual_embeds(model, enc.inputs, keep)
    assert rows.shape[0] == int(keep.sum())
    scribbled = dict(enc.inputs, pixel_values=enc.inputs["pixel_values"].clone())
    dropped = ~keep.repeat_interleave(4)
    scribbled["pixel_values"][dropped] = torch.randn(int(dropped.sum()), scribbled["pixel_values"].shape[1])
    assert torch.equal(vlm_select.visual_embeds(model, scribbled, keep), rows)
    full = vlm_select.visual_embeds(model, enc.inputs)
    assert (full[keep] - rows).abs().max().item() > 1e-3  # the kept tokens no longer see the dropped ones


@torch.inference_mode()
def test_pruned_vision_tower_keeps_each_patch_at_its_grid_position(tiny):
    model, enc, keep = pruned_half(tiny)
    seen = []
    hook = model.model.visual.blocks[0].register_forward_pre_hook(
        lambda mod, args, kwargs: seen.append(kwargs["position_embeddings"]), with_kwargs=True)
    try:
        vlm_select.visual_embeds(model, enc.inputs)
        vlm_select.visual_embeds(model, enc.inputs, keep)
    finally:
        hook.remove()
    (cos_full, sin_full), (cos, sin) = seen
    patches = keep.repeat_interleave(4)
    assert cos.shape[0] == int(patches.sum())
    assert torch.equal(cos, cos_full[patches]) and torch.equal(sin, sin_full[patches])


@torch.inference_mode()
def test_dropping_a_whole_window_leaves_the_other_windows_exact(tiny25):
    """With windowed attention only, a window's tokens never see another window: dropping all of one window
    must leave every other token exactly as the full tower computes it (right windows, right positions)."""
    model, prompter = tiny25
    enc = encode(prompter)
    keep = torch.ones(8, 12, dtype=torch.bool)
    keep[4:8, 4:8] = False  # the middle window of the lower row (windows are 4x4 tokens)
    keep = keep.flatten()
    visual = model.model.visual
    saved, visual.fullatt_block_indexes = visual.fullatt_block_indexes, []
    try:
        full = vlm_select.visual_embeds(model, enc.inputs)
        rows = vlm_select.visual_embeds(model, enc.inputs, keep)
    finally:
        visual.fullatt_block_indexes = saved
    assert (rows - full[keep]).abs().max().item() <= 1e-5


@torch.inference_mode()
def test_decoding_with_a_pruned_vision_tower(family):
    model, enc, keep = pruned_half(family)
    got = vlm_select.greedy(model, enc.inputs, keep, max_new_tokens=5, prune_vision=True)
    language_only = vlm_select.greedy(model, enc.inputs, keep, max_new_tokens=5)
    assert len(got.tokens) == 5 and all(torch.isfinite(x).all() for x in got.step_logits)
    assert (got.step_logits[0] - language_only.step_logits[0]).abs().max().item() > 1e-4
    every = vlm_select.greedy(model, enc.inputs, torch.ones(96, dtype=torch.bool), max_new_tokens=5,
                              prune_vision=True)
    unpruned = vlm_select.greedy(model, enc.inputs, None, max_new_tokens=5)
    assert every.tokens == unpruned.tokens
    assert max((a - b).abs().max().item() for a, b in zip(every.step_logits, unpruned.step_logits)) <= 1e-5


def masked_from_layer(model, inputs, keep, from_layer, steps):
    """The whole prompt in every layer; from ``from_layer`` on, a 4-D mask hides the dropped rows as keys (a dropped
    row still sees itself, so nothing becomes NaN). Masking, not slicing: what the per-layer mode must equal."""
    from transformers import DynamicCache

    full = vlm_select.prepare(model, inputs)
    image = inputs["input_ids"][0] == model.config.image_token_id
    rows = torch.ones_like(image)
    rows[image] = keep
    n = rows.numel()
    state = {"keys": rows}

    def mask(module, args, kwargs):
        keys = state["keys"]
        if kwargs["position_embeddings"][0].shape[-2] == n:  # the prompt: causal, dropped keys hidden
            allowed = torch.ones(n, n, dtype=torch.bool).tril() & (keys[None, :] | torch.eye(n, dtype=torch.bool))
        else:
            allowed = keys[None, :]
        kwargs["attention_mask"] = allowed[None, None]
        return args, kwargs

    hooks = [layer.register_forward_pre_hook(mask, with_kwargs=True)
             for layer in model.model.language_model.layers[from_layer:]]
    try:
        out = model(inputs_embeds=full.embeds, position_ids=full.position_ids, past_key_values=DynamicCache(
            config=model.config.get_text_config()), use_cache=True)
        logits, cache = [out.logits[0, -1]], out.past_key_values
        for step in range(steps - 1):
            state["keys"] = torch.cat([rows, rows.new_ones(step + 1)])
            token = logits[-1].argmax().view(1, 1)
            pos = torch.full((3, 1, 1), full.next_position + step)
            out = model(input_ids=token, position_ids=pos, past_key_values=cache, use_cache=True)
            logits.append(out.logits[0, -1])
    finally:
        for hook in hooks:
            hook.remove()
    return [int(x.argmax()) for x in logits], logits


@torch.inference_mode()
def test_dropping_tokens_from_a_middle_layer_equals_masking_them_there(family):
    model, enc, keep = pruned_half(family)
    got = vlm_select.greedy(model, enc.inputs, keep, max_new_tokens=5, from_layer=1)
    tokens, logits = masked_from_layer(model, enc.inputs, keep, 1, 5)
    assert got.tokens == tokens
    assert max((a - b).abs().max().item() for a, b in zip(got.step_logits, logits)) <= 1e-4
    everywhere = vlm_select.greedy(model, enc.inputs, keep, max_new_tokens=5)
    unpruned = vlm_select.greedy(model, enc.inputs, None, max_new_tokens=5)
    for other in (everywhere, unpruned):  # neither all layers pruned nor none: its own result
        assert (other.step_logits[0] - got.step_logits[0]).abs().max().item() > 1e-4
    prefill = vlm_select.prepare(model, enc.inputs, keep, from_layer=1)
    _, cache = vlm_select.forward(model, prefill)
    assert cache.layers[0].keys.shape[-2] == prefill.rows.numel()  # the first layer caches the whole prompt
    assert cache.layers[1].keys.shape[-2] == int(prefill.rows.sum())  # the pruned layer caches kept rows only
    out = model(input_ids=torch.tensor([[got.tokens[0]]]), past_key_values=cache)  # transformers' own positions
    assert (out.logits[0, -1] - got.step_logits[1]).abs().max().item() <= 1e-5


@torch.inference_mode()
def test_dropping_tokens_after_the_last_layer_is_the_unpruned_model(tiny):
    model, enc, keep = pruned_half(tiny)
    got = vlm_select.greedy(model, enc.inputs, keep, max_new_tokens=4, from_layer=2)
    unpruned = vlm_select.greedy(model, enc.inputs, None, max_new_tokens=4)
    assert got.tokens == unpruned.tokens
    assert max((a - b).abs().max().item() for a, b in zip(got.step_logits, unpruned.step_logits)) <= 1e-5
    with pytest.raises(ValueError, match="has 2 layers; the layer to drop tokens from must be 0-2"):
        vlm_select.prepare(model, enc.inputs, keep, from_layer=3)
    with pytest.raises(ValueError, match="use one of prune_vision and from_layer"):
        vlm_select.prepare(model, enc.inputs, keep, prune_vision=True, from_layer=1)


@torch.inference_mode()
def test_per_layer_mode_cuts_the_masks_eager_attention_builds(tiny):
    _, enc, keep = pruned_half(tiny)
    model = vlm_random.model("tiny", tiny[1].tokenizer)
    sdpa = vlm_select.greedy(model, enc.inputs, keep, max_new_tokens=4, from_layer=1)
    model.set_attn_implementation("eager")  # full (batch, heads, queries, keys) masks reach every layer
    eager = vlm_select.greedy(model, enc.inputs, keep, max_new_tokens=4, from_layer=1)
    assert eager.tokens == sdpa.tokens
    assert max((a - b).abs().max().item() for a, b in zip(eager.step_logits, sdpa.step_logits)) <= 1e-4
