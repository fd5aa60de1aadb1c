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
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import torch


@dataclass
class Prefill:
    """The prompt as the language model sees it after selection."""

    embeds: torch.Tensor  # (1, kept_len, hidden)
    position_ids: torch.Tensor  # (3, 1, kept_len), the original M-RoPE positions of the kept rows
    attention_mask: torch.Tensor  # (1, kept_len)
    rope_deltas: torch.Tensor  # (1, 1): next position = kept_len + delta
    rows: torch.Tensor  # bool (full_len,): which prompt rows were kept
    visual_tokens: int
    kept_tokens: int

    @property
    def next_position(self) -> int:
        return int(self.position_ids.max()) + 1


def _core(model: Any) -> Any:
    """The Qwen2VLModel / Qwen2_5_VLModel inside a ...ForConditionalGeneration."""
    return model.model


def visual_embeds(model: Any, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
    """The merged visual tokens of every image in ``inputs``, as rows ready for the language model."""
    core = _core(model)
    out = core.get_image_features(inputs["pixel_values"], inputs["image_grid_thw"], return_dict=True)
    return torch.cat(out.pooler_output, dim=0)


def prepare(model: Any, inputs: dict[str, torch.Tensor], keep: torch.Tensor | None = None,
            image_rows: torch.Tensor | None = None) -> Prefill:
    """Embeddings and original 3-D positions of the prompt, with the visual tokens not in ``keep`` removed.

    ``keep`` is a bool vector over all image tokens of the prompt in order (None keeps all); ``image_rows``
    are precomputed visual embeddings (from :func:`visual_embeds`) so timing can separate the vision tower.
    """
    core = _core(model)
    ids = inputs["input_ids"]
    if ids.shape[0] != 1:
        raise ValueError("visual token selection runs one prompt at a time")
    mask = inputs.get("attention_mask")
    mask = torch.ones_like(ids) if mask is None else mask
    embeds = core.get_input_embeddings()(ids)
    image = ids[0] == model.config.image_token_id
    rows_visual = visual_embeds(model, inputs) if image_rows is None else image_rows
    if rows_visual.shape[0] != int(image.sum()):
        raise ValueError(f"the prompt has {int(image.sum())} image tokens but the images give {rows_visual.shape[0]}")
    embeds[0, image] = rows_visual.to(embeds.dtype)
    kwargs = {"image_grid_thw": inputs["image_grid_thw"], "attention_mask": mask}
    if "mm_token_type_ids" in inputs:
        kwargs["mm_token_type_ids"] = inputs["mm_token_type_ids"]
    else:
        kwargs["mm_token_type_ids"] = image.to(torch.int)[None]
    position_ids, _ = core.get_rope_index(ids, **kwargs)
    rows = torch.ones(ids.shape[1], dtype=torch.bool, device=ids.device)
    if keep is not None:
        keep = keep.to(device=ids.device, dtype=torch.bool)
        if keep.numel() != int(image.sum()):
            raise ValueError(f"keep has {keep.numel()} entries for {int(image.sum())} image tokens")
        rows[image] = keep
    kept_len = int(rows.sum())
    positions = position_ids[:, :, rows]
    deltas = (positions.max() + 1 - kept_len).reshape(1, 1)
    return Prefill(embeds[:, rows], positions, mask[:, rows], deltas, rows, int(image.sum()),
                   int(rows[image].sum()))


def forward(model: Any, prefill: Prefill, all_logits: bool = False) -> tuple[torch.Tensor, Any]:
    """Run the language model on the kept prompt; returns logits (last position unless ``all_logits``) and cache."""
    from transformers import DynamicCache

    cache = DynamicCache(config=model.config.get_text_config())
    out = model(inputs_embeds=prefill.embeds, position_ids=prefill.position_ids,
                attention_mask=prefill.attention_mask, past_key_values=cache, use_cache=True,
                logits_to_keep=0 if all_logits else 1)
    _core(model).rope_deltas = prefill.rope_deltas  # what transformers itself would use for the next positions
    return out.logits, out.past_key_values


def decode_step(model: Any, prefill: Prefill, token: torch.Tensor, step: int, cache: Any,
                attention_mask: torch.Tensor) -> torch.Tensor:
    """One decode step after the prompt: ``token`` (1, 1) sits at position ``next_position + step``."""
    pos = torch.full((3, 1, 1), prefill.next_position + step, dtype=torch.long, device=token.device)
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
           eos_token_ids: tuple[int, ...] = ()) -> Generation:
    """Greedy decoding with the visual tokens outside ``keep`` dropped before the language model."""
    t0 = time.perf_counter()
    prefill = prepare(model, inputs, keep)
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
