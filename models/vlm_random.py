"""Qwen2-VL models with random weights, built here: for tests and benchmarks that must not download anything.

``tiny`` is a few-layer model that runs in milliseconds on a CPU; ``2b`` has the shapes of Qwen2-VL-2B (the
model ShowUI-2B fine-tunes), so its compute is ShowUI-2B's. The tokenizer is byte-level with Qwen's special
tokens and chat format, so any prompt encodes and any answer decodes.
"""

from __future__ import annotations

from typing import Any

SPECIAL = ("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>",
           "<|video_pad|>")

# Qwen2's chat format, images as <|vision_start|><|image_pad|><|vision_end|> (the processor expands the pad)
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
    "{% for part in message['content'] %}{% if part['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

# tiny: weights drawn wider than a trained model's so that random answers depend on the image.
# Qwen2-VL-2B-Instruct's config.json: the language model is Qwen2-1.5B, the vision tower a 32-block 1280-wide ViT
SIZES: dict[str, dict[str, Any]] = {
    "tiny": {"text": {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
                      "num_key_value_heads": 2, "initializer_range": 0.2,
                      "rope_parameters": {"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [2, 3, 3]}},
             "vision": {"depth": 2, "embed_dim": 32, "num_heads": 2, "mlp_ratio": 2, "initializer_range": 0.2},
             "vocab": None},
    "2b": {"text": {"hidden_size": 1536, "intermediate_size": 8960, "num_hidden_layers": 28,
                    "num_attention_heads": 12, "num_key_value_heads": 2, "rms_norm_eps": 1e-6,
                    "rope_parameters": {"rope_type": "default", "rope_theta": 1000000.0,
                                        "mrope_section": [16, 24, 24]}},
           "vision": {"depth": 32, "embed_dim": 1280, "num_heads": 16, "mlp_ratio": 4}, "vocab": 151936},
}


def tokenizer() -> Any:
    """A byte-level tokenizer with Qwen's special tokens: every text encodes, every id decodes."""
    from tokenizers import Tokenizer, decoders, pre_tokenizers
    from tokenizers.models import BPE
    from transformers import PreTrainedTokenizerFast

    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    tok = Tokenizer(BPE(vocab={c: i for i, c in enumerate(alphabet)}, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(list(SPECIAL))
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>")


def processor(min_pixels: int = 256 * 28 * 28, max_pixels: int = 1344 * 28 * 28) -> Any:
    """Qwen2-VL's processor (PIL image backend) around the byte-level tokenizer; ShowUI's pixel budget by default."""
    from transformers import Qwen2VLProcessor
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

    images = Qwen2VLImageProcessorPil(min_pixels=min_pixels, max_pixels=max_pixels)
    return Qwen2VLProcessor(image_processor=images, tokenizer=tokenizer(), chat_template=CHAT_TEMPLATE)


def model(size: str = "tiny", tok: Any = None, seed: int = 0, dtype: Any = None) -> Any:
    """A Qwen2VLForConditionalGeneration of ``size`` with random weights (seeded), in eval mode."""
    import torch
    from transformers import Qwen2VLConfig, Qwen2VLForConditionalGeneration

    if size not in SIZES:
        raise ValueError(f"there is no random model size {size!r}; choose {' or '.join(SIZES)}")
    tok = tok or tokenizer()
    spec = SIZES[size]
    ids = {name: tok.convert_tokens_to_ids(name) for name in SPECIAL}
    text = {**spec["text"], "vocab_size": spec["vocab"] or len(tok), "bos_token_id": ids["<|endoftext|>"],
            "eos_token_id": ids["<|im_end|>"], "pad_token_id": ids["<|endoftext|>"]}
    vision = {**spec["vision"], "hidden_size": text["hidden_size"], "patch_size": 14, "spatial_merge_size": 2,
              "temporal_patch_size": 2}
    config = Qwen2VLConfig(text_config=text, vision_config=vision, image_token_id=ids["<|image_pad|>"],
                           video_token_id=ids["<|video_pad|>"], vision_start_token_id=ids["<|vision_start|>"],
                           vision_end_token_id=ids["<|vision_end|>"], tie_word_embeddings=size == "2b")
    config._attn_implementation = "sdpa"
    torch.manual_seed(seed)
    net = Qwen2VLForConditionalGeneration(config)
    if dtype is not None:
        net = net.to(dtype)
    return net.eval()
