"""Visual token selection for Qwen2-VL-family models in transformers, without forking the model file.

ShowUI runs the language-model layers on the kept visual tokens only and keeps their original 3-D M-RoPE
positions. Dropping the unselected rows before the language model is the same computation for the logits
(the dropped tokens are never attended to), and it needs nothing but the model's public pieces:

1. ``get_image_features`` and the token embeddings give ``inputs_embeds``;
2. ``get_rope_index`` gives the 3-D positions of the *full* sequence;
3. the unselected image rows are removed from embeddings, positions and attention mask;
4. the language model runs on the shorter sequence with those explicit positions.

Decoding continues from the kept length: the next token's position is the prompt's largest position plus
one, so the rope delta becomes ``max_position + 1 - kept_length`` (stored on the model as ``rope_deltas``)
and every decode step passes its position explicitly; the KV cache only ever holds the kept tokens.

Per layer (``from_layer`` k, ShowUI's ``lm_skip_layer`` start): the first k layers see every token, the
unselected ones are dropped from layer k on. Hooks on layers k.. slice the hidden states, rotary angles (and a
4-D mask, where the attention implementation builds one) to the kept rows; layers below k cache the whole
prompt, layers from k on the kept rows only, which is consistent: every layer attends over exactly what it
cached, the new token's position is the same for all, and the rope delta is taken against the whole prompt
(the first layer's cache length, which transformers reads).

Optionally (``prune_vision``; not ShowUI's method) the vision tower skips the dropped cells too: it runs on the
kept tokens' 2x2 patch groups only, each patch with its rotary position on the full grid, attending to the kept
patches of its own image (and, for Qwen2.5-VL, of its own window). Nothing is forked: transformers' vision
forward takes precomputed ``position_ids``, ``cu_seqlens`` and window indices as keyword arguments. The kept
tokens' features change (they no longer see the dropped patches), so this is an approximation a user measures
with ``bench grounding``; with every token kept it is the full tower, exactly.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F


@dataclass
class Prefill:
    """The prompt as the language model sees it after selection."""

    embeds: torch.Tensor  # (1, kept_len, hidden); the whole prompt's (1, full_len, hidden) with from_layer > 0
    position_ids: torch.Tensor  # (3, 1, same length): the original M-RoPE positions of those rows
    attention_mask: torch.Tensor  # (1, same length)
    rope_deltas: torch.Tensor  # (1, 1): next position = the first layer's cache length + delta
    rows: torch.Tensor  # bool (full_len,): which prompt rows are kept
    visual_tokens: int
    kept_tokens: int
    from_layer: int = 0  # language-model layers before this one see every row

    @property
    def next_position(self) -> int:
        return int(self.position_ids.max()) + 1


def _core(model: Any) -> Any:
    """The Qwen2VLModel / Qwen2_5_VLModel inside a ...ForConditionalGeneration."""
    return model.model


def visual_embeds(model: Any, inputs: dict[str, torch.Tensor], keep: torch.Tensor | None = None) -> torch.Tensor:
    """The merged visual tokens of every image in ``inputs``, as rows ready for the language model.

    With ``keep`` (bool per image token, in prompt order) the vision tower runs on the kept tokens' patches only
    and returns their rows alone (see the module's notes on ``prune_vision``)."""
    core = _core(model)
    if keep is None:
        out = core.get_image_features(inputs["pixel_values"], inputs["image_grid_thw"], return_dict=True)
        return torch.cat(out.pooler_output, dim=0)
    visual = core.visual
    patches, sparse = sparse_vision(visual, inputs["image_grid_thw"], keep)
    pixels = inputs["pixel_values"].type(visual.dtype)
    return visual(pixels[patches.to(pixels.device)], grid_thw=inputs["image_grid_thw"], **sparse).pooler_output


def sparse_vision(visual: Any, grid: torch.Tensor, keep: torch.Tensor) -> tuple[torch.Tensor, dict[str, Any]]:
    """Which patch rows of ``pixel_values`` the kept tokens own, and the keyword arguments that make the vision
    tower treat them as the sparse image they are: rotary positions of the full grid, one attention segment per
    image, and for Qwen2.5-VL its windows with the dropped tokens taken out.

    The processor lays each token's 2x2 patches out consecutively, tokens in raster order, which is the order of
    ``keep``."""
    from transformers.vision_utils import get_vision_position_ids, get_vision_window_index

    grid = grid.cpu()
    if bool((grid[:, 0] != 1).any()):
        raise ValueError("pruning the vision tower handles still images, not video")
    unit = visual.spatial_merge_size ** 2
    tokens = (grid.prod(-1) // unit).tolist()
    keep = keep.to(device="cpu", dtype=torch.bool)
    if keep.numel() != sum(tokens):
        raise ValueError(f"keep has {keep.numel()} entries for {sum(tokens)} image tokens")
    patches = keep.repeat_interleave(unit)
    kept = torch.stack([part.sum() for part in keep.split(tokens)])
    device = next(visual.parameters()).device
    sparse: dict[str, Any] = {
        "position_ids": get_vision_position_ids(grid, visual.spatial_merge_size)[patches].to(device),
        "cu_seqlens": F.pad((kept * unit).cumsum(0, dtype=torch.int32), (1, 0)).to(device),
    }
    if hasattr(visual, "window_size"):  # Qwen2.5-VL: most blocks attend within windows of tokens, reordered
        order, bounds = get_vision_window_index(grid, visual.spatial_merge_size, visual.window_size,
                                                visual.patch_size)
        order, bounds = order.cpu(), bounds.cpu()
        kept_in_order = keep[order]
        sparse["window_index"] = (keep.cumsum(0) - 1)[order][kept_in_order].to(device)
        ends = F.pad(kept_in_order.cumsum(0), (1, 0))[bounds.long() // unit] * unit
        sparse["cu_window_seqlens"] = torch.unique_consecutive(ends.to(torch.int32)).to(device)
    return patches, sparse


def prepare(model: Any, inputs: dict[str, torch.Tensor], keep: torch.Tensor | None = None,
            image_rows: torch.Tensor | None = None, prune_vision: bool = False, from_layer: int = 0) -> Prefill:
    """Embeddings and original 3-D positions of the prompt, with the visual tokens not in ``keep`` removed.

    ``keep`` is a bool vector over all image tokens of the prompt in order (None keeps all); ``image_rows``
    are precomputed visual embeddings (from :func:`visual_embeds`, of every image token or of the kept ones
    only) so timing can separate the vision tower; ``prune_vision`` runs the vision tower on the kept tokens;
    ``from_layer`` k lets the first k language-model layers see every token.
    """
    core = _core(model)
    ids = inputs["input_ids"]
    if ids.shape[0] != 1:
        raise ValueError("visual token selection runs one prompt at a time")
    layers = len(core.language_model.layers)
    if not 0 <= from_layer <= layers:
        raise ValueError(f"the language model has {layers} layers; the layer to drop tokens from must be 0-{layers}")
    mask = inputs.get("attention_mask")
    mask = torch.ones_like(ids) if mask is None else mask
    embeds = core.get_input_embeddings()(ids)
    image = ids[0] == model.config.image_token_id
    if keep is not None:
        keep = keep.to(device=ids.device, dtype=torch.bool)
        if keep.numel() != int(image.sum()):
            raise ValueError(f"keep has {keep.numel()} entries for {int(image.sum())} image tokens")
    if image_rows is None:
        image_rows = visual_embeds(model, inputs, keep if prune_vision else None)
    slots = image.nonzero().squeeze(1)
    if keep is not None and image_rows.shape[0] != slots.numel():
        slots = slots[keep]  # rows of the kept tokens only: a pruned vision tower gave no others
    if image_rows.shape[0] != slots.numel():
        raise ValueError(f"the prompt has {int(image.sum())} image tokens but the images give {image_rows.shape[0]}")
    if from_layer and slots.numel() != int(image.sum()):
        raise ValueError("a pruned vision tower gives the language model no rows for the dropped tokens, so its "
                         "first layers cannot see them; use one of prune_vision and from_layer")
    embeds[0, slots] = image_rows.to(embeds.dtype)
    kwargs = {"image_grid_thw": inputs["image_grid_thw"], "attention_mask": mask}
    if "mm_token_type_ids" in inputs:
        kwargs["mm_token_type_ids"] = inputs["mm_token_type_ids"]
    else:
        kwargs["mm_token_type_ids"] = image.to(torch.int)[None]
    position_ids, _ = core.get_rope_index(ids, **kwargs)
    rows = torch.ones(ids.shape[1], dtype=torch.bool, device=ids.device)
    if keep is not None:
        rows[image] = keep
    visual, kept = int(image.sum()), int(rows[image].sum())
    if from_layer and keep is not None:  # the whole prompt goes in; hooks drop the rows from that layer on
        deltas = (position_ids.max() + 1 - ids.shape[1]).reshape(1, 1)
        return Prefill(embeds, position_ids, mask, deltas, rows, visual, kept, from_layer)
    positions = position_ids[:, :, rows]
    deltas = (positions.max() + 1 - int(rows.sum())).reshape(1, 1)
    return Prefill(embeds[:, rows], positions, mask[:, rows], deltas, rows, visual, kept)


@contextmanager
def dropping_rows(model: Any, prefill: Prefill) -> Iterator[None]:
    """While inside, language-model layers from ``prefill.from_layer`` on see the kept rows only."""
    if not prefill.from_layer:
        yield
        return
    rows, full = prefill.rows, prefill.rows.numel()

    def keep_rows(module: Any, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        if args:
            hidden, args = args[0], args[1:]
        else:
            hidden = kwargs.pop("hidden_states")
        if hidden.shape[1] == full:  # the prompt reaching the first pruned layer
            hidden = hidden[:, rows]
        cos, sin = kwargs["position_embeddings"]
        if cos.shape[-2] == full:
            kwargs["position_embeddings"] = (cos[..., rows, :], sin[..., rows, :])
        ids = kwargs.get("position_ids")
        if isinstance(ids, torch.Tensor) and ids.shape[-1] == full:
            kwargs["position_ids"] = ids[..., rows]
        mask = kwargs.get("attention_mask")
        if isinstance(mask, torch.Tensor) and mask.dim() == 4:  # (batch, heads, queries, keys) from eager attention
            keys = torch.cat([rows, rows.new_ones(mask.shape[-1] - full)])  # decoded tokens are all kept
            mask = mask[..., keys]
            kwargs["attention_mask"] = mask[..., rows, :] if mask.shape[-2] == full else mask
        return (hidden, *args), kwargs

    layers = _core(model).language_model.layers[prefill.from_layer:]
    hooks = [layer.register_forward_pre_hook(keep_rows, with_kwargs=True) for layer in layers]
    try:
        yield
    finally:
        for hook in hooks:
            hook.remove()


def forward(model: Any, prefill: Prefill, all_logits: bool = False) -> tuple[torch.Tensor, Any]:
    """Run the language model on the kept prompt; returns logits (last position unless ``all_logits``) and cache."""
    from transformers import DynamicCache

    cache = DynamicCache(config=model.config.get_text_config())
    with dropping_rows(model, prefill):
        out = model(inputs_embeds=prefill.embeds, position_ids=prefill.position_ids,
                    attention_mask=prefill.attention_mask, past_key_values=cache, use_cache=True,
                    logits_to_keep=0 if all_logits else 1)
    _core(model).rope_deltas = prefill.rope_deltas  # what transformers itself would use for the next positions
    return out.logits, out.past_key_values


def decode_step(model: Any, prefill: Prefill, token: torch.Tensor, step: int, cache: Any,
                attention_mask: torch.Tensor) -> torch.Tensor:
    """One decode step after the prompt: ``token`` (1, 1) sits at position ``next_position + step``."""
    pos = torch.full((3, 1, 1), prefill.next_position + step, dtype=torch.long, device=token.device)
    with dropping_rows(model, prefill):
        out = model(input_ids=token, position_ids=pos, attention_mask=attention_mask, past_key_values=cache,
                    use_cache=True, logits_to_keep=1)
    return out.logits[:, -1]


@dataclass
class Generation:
    tokens: list[int]
    step_logits: list[torch.Tensor]  # logits that chose each token (first from the prefill)
    ttft_s: float  # from pixels to the first token


@torch.inference_mode()
def greedy(model: Any, inputs: dict[str, torch.Tensor], keep: torch.Tensor | None = None, max_new_tokens: int = 32,
           eos_token_ids: tuple[int, ...] = (), prune_vision: bool = False, from_layer: int = 0) -> Generation:
    """Greedy decoding with the visual tokens outside ``keep`` dropped before the language model (from its layer
    ``from_layer`` on; and before the vision tower with ``prune_vision``)."""
    t0 = time.perf_counter()
    prefill = prepare(model, inputs, keep, prune_vision=prune_vision, from_layer=from_layer)
    logits, cache = forward(model, prefill)
    logits = logits[:, -1]
    token = logits.argmax(-1, keepdim=True)
    ttft = time.perf_counter() - t0
    tokens, step_logits = [int(token)], [logits[0].float().cpu()]
    mask = prefill.attention_mask
    for step in range(max_new_tokens - 1):
        if tokens[-1] in eos_token_ids:
            break
        mask = torch.cat([mask, mask.new_ones(1, 1)], dim=1)
        logits = decode_step(model, prefill, token, step, cache, mask)
        token = logits.argmax(-1, keepdim=True)
        tokens.append(int(token))
        step_logits.append(logits[0].float().cpu())
    return Generation(tokens, step_logits, ttft)
