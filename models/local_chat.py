"""Local transformers weights as a chat model: Qwen2-VL-family and other image-text models through their processor,
text-only causal LMs through their tokenizer. torch and transformers are imported on first use (the vlm extra)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.chat import Message, Meter, ModelError, Reply, Usage


def resolve(name: str) -> Path:
    """A local folder as given, or the snapshot of ``org/name`` (or a known short name) in the Hugging Face cache."""
    from models import vlm

    path = vlm.resolve(name)
    if not (path / "config.json").exists():
        raise ModelError(f"{path} has no config.json: it is not a transformers model folder.")
    if vlm.missing_weights(path):
        raise ModelError(f"{path} is half-downloaded ({vlm.missing_weights(path)} missing or incomplete); "
                         "download it again or copy the whole folder.")
    return path


@dataclass
class TransformersChat:
    model: str  # a folder or a Hugging Face name already in the cache
    device: str = ""  # "" picks cuda when there is a GPU, else cpu
    meter: Meter = field(default_factory=Meter)
    name: str = "transformers"
    _parts: tuple[Any, Any] | None = field(default=None, repr=False)

    def complete(self, messages: list[Message], max_tokens: int = 1024, json_mode: bool = False) -> Reply:
        torch = _torch()
        processor, lm = self._load()
        convo, images = _conversation(messages, multimodal=_is_processor(processor))
        kwargs: dict[str, Any] = {"add_generation_prompt": True, "tokenize": True, "return_dict": True,
                                  "return_tensors": "pt"}
        if images:
            kwargs["images"] = images
        try:
            inputs = processor.apply_chat_template(convo, **kwargs)
        except TypeError:  # processors that take images separately from the template
            text = processor.apply_chat_template(convo, add_generation_prompt=True, tokenize=False)
            inputs = processor(text=[text], images=images or None, return_tensors="pt")
        inputs = {k: v.to(lm.device) if hasattr(v, "to") else v for k, v in inputs.items()}
        with torch.inference_mode():
            out = lm.generate(**inputs, max_new_tokens=max_tokens, do_sample=False)
        prompt_len = inputs["input_ids"].shape[1]
        tokenizer = getattr(processor, "tokenizer", processor)
        text = tokenizer.decode(out[0, prompt_len:], skip_special_tokens=True)
        usage = Usage(int(prompt_len), int(out.shape[1] - prompt_len))
        self.meter.add(usage)
        return Reply(text, usage, self.model)

    def models(self) -> list[str]:
        resolve(self.model)
        return [self.model]

    def _load(self) -> tuple[Any, Any]:
        if self._parts is None:
            torch = _torch()
            import transformers as tf

            path = resolve(self.model)
            config = tf.AutoConfig.from_pretrained(path)
            device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
            dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
            try:
                if hasattr(config, "vision_config"):
                    processor = tf.AutoProcessor.from_pretrained(path)
                    lm = tf.AutoModelForImageTextToText.from_pretrained(path, dtype=dtype)
                else:
                    processor = tf.AutoTokenizer.from_pretrained(path)
                    lm = tf.AutoModelForCausalLM.from_pretrained(path, dtype=dtype)
            except (ValueError, OSError) as exc:
                raise ModelError(f"{path} could not be loaded ({str(exc).splitlines()[0]}); it may be half-"
                                 "downloaded or of an architecture this transformers version does not know.") from None
            self._parts = (processor, lm.to(device).eval())
        return self._parts


def _torch() -> Any:
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError:
        raise ModelError("Local models need torch and transformers: pip install -e '.[vlm]'.") from None
    return torch


def _is_processor(obj: Any) -> bool:
    return hasattr(obj, "image_processor")


def _conversation(messages: list[Message], multimodal: bool) -> tuple[list[dict[str, Any]], list[Any]]:
    from PIL import Image

    convo: list[dict[str, Any]] = []
    images: list[Any] = []
    for m in messages:
        if not multimodal:
            note = f"\n[{len(m.images)} screenshot(s) left out: this model reads text only]" if m.images else ""
            convo.append({"role": m.role, "content": m.text + note})
            continue
        parts: list[dict[str, Any]] = []
        for png in m.images:
            images.append(Image.open(io.BytesIO(png)).convert("RGB"))
            parts.append({"type": "image"})
        parts.append({"type": "text", "text": m.text})
        convo.append({"role": m.role, "content": parts})
    return convo, images
