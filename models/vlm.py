"""Local vision-language models of the Qwen2-VL family (ShowUI-2B, UI-TARS-1.5, Qwen2.5-VL) through transformers.

A model is a folder (config.json, tokenizer, preprocessor_config.json, safetensors weights) given by path, or a
known short name / Hugging Face repo id found in the Hugging Face cache. Weights load on first use: CUDA in
bfloat16 when a GPU is there, CPU in float32 otherwise. torch and transformers are imported only in here.

Prompts are encoded with the model's own tokenizer, chat template and image processor settings; the image
placeholders are expanded here (one ``<|image_pad|>`` per merged 28x28 cell), so the exact resize the
model saw comes back with the inputs and answers can be mapped back through it.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from models.chat import ModelError  # one error for every model that cannot be found, loaded or reached

ARCHITECTURES = {"qwen2_vl": "Qwen2VLForConditionalGeneration", "qwen2_5_vl": "Qwen2_5_VLForConditionalGeneration"}


@dataclass(frozen=True)
class KnownModel:
    """A checkpoint DeskPilot knows how to prompt: where it lives on the Hub and how it answers."""

    name: str
    repo: str
    style: str  # answer style for grounding.vlm_tokens.parse_point
    min_pixels: int = 256 * 28 * 28
    max_pixels: int = 1344 * 28 * 28
    about: str = ""


KNOWN = {m.name: m for m in (
    KnownModel("showui-2b", "showlab/ShowUI-2B", "showui", about="ShowUI-2B (Qwen2-VL-2B), [x, y] in 0-1"),
    KnownModel("ui-tars-1.5-7b", "ByteDance-Seed/UI-TARS-1.5-7B", "uitars", max_pixels=16384 * 28 * 28,
               about="UI-TARS-1.5-7B (Qwen2.5-VL-7B), pixels of the resized image"),
    KnownModel("qwen2.5-vl-3b", "Qwen/Qwen2.5-VL-3B-Instruct", "uitars", max_pixels=16384 * 28 * 28,
               about="Qwen2.5-VL-3B-Instruct, pixels of the resized image"),
    KnownModel("qwen2.5-vl-7b", "Qwen/Qwen2.5-VL-7B-Instruct", "uitars", max_pixels=16384 * 28 * 28,
               about="Qwen2.5-VL-7B-Instruct, pixels of the resized image"),
)}


def known(name_or_repo: str) -> KnownModel | None:
    return KNOWN.get(name_or_repo) or next((m for m in KNOWN.values() if m.repo == name_or_repo), None)


def cached_folder(repo: str) -> Path | None:
    """The newest snapshot of ``repo`` in the Hugging Face cache, or None."""
    from huggingface_hub import constants

    snapshots = Path(constants.HF_HUB_CACHE) / f"models--{repo.replace('/', '--')}" / "snapshots"
    found = sorted(snapshots.glob("*/config.json"), key=lambda p: p.stat().st_mtime) if snapshots.is_dir() else []
    return found[-1].parent if found else None


def resolve(model: str) -> Path:
    """A model folder from a path, a known short name or a repo id (through the Hugging Face cache)."""
    path = Path(model).expanduser()
    if path.exists():
        return path
    spec = known(model)
    repo = spec.repo if spec else model
    folder = cached_folder(repo) if "/" in repo else None
    if folder is None:
        hint = f"`deskpilot models pull {spec.name}`" if spec else "`deskpilot models list` for known names"
        raise ModelError(f"The model {model!r} is neither a folder nor in the Hugging Face cache; pass the folder "
                         f"that holds it, or download it first ({hint}).")
    return folder


def check_folder(folder: Path) -> str:
    """Raise ModelError when ``folder`` is not a complete Qwen2-VL-family checkpoint; return its model_type."""
    config = folder / "config.json"
    if not config.is_file():
        raise ModelError(f"{folder} has no config.json, so it is not a model folder; pass the folder of a "
                         "Qwen2-VL-family checkpoint.")
    kind = json.loads(config.read_text(encoding="utf-8")).get("model_type", "")
    if kind not in ARCHITECTURES:
        raise ModelError(f"{folder} holds a {kind or 'model of unknown type'!r} model; DeskPilot runs the "
                         f"Qwen2-VL family ({', '.join(ARCHITECTURES)}), such as ShowUI-2B or UI-TARS-1.5.")
    missing = missing_weights(folder)
    if missing:
        raise ModelError(f"{folder} is half-downloaded ({missing} missing or incomplete); run "
                         "`deskpilot models pull` again or copy the whole folder.")
    return kind


def missing_weights(folder: Path) -> str:
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        shards = sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()))
    elif (folder / "model.safetensors").exists():
        shards = ["model.safetensors"]
    else:
        return "model.safetensors"
    absent = [s for s in shards if not (folder / s).is_file() or (folder / s).stat().st_size == 0]
    if not absent and any(folder.glob("*.incomplete")):
        absent = [p.name for p in folder.glob("*.incomplete")]
    return ", ".join(absent[:3]) + (f" and {len(absent) - 3} more" if len(absent) > 3 else "")


def hub_reachable(timeout: float = 3.0) -> bool:
    """Whether the Hugging Face endpoint (HF_ENDPOINT, default huggingface.co) answers a TCP connection."""
    url = urlparse(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False


def pull(name: str) -> Path:
    """Download a known model (or any repo id) into the Hugging Face cache, with progress bars."""
    spec = known(name)
    repo = spec.repo if spec else name
    if "/" not in repo:
        raise ModelError(f"There is no model called {name!r}; `deskpilot models list` shows the known ones.")
    if not hub_reachable():
        raise ModelError(f"Downloading {repo} needs the internet and the Hugging Face Hub cannot be reached from "
                         "this machine; copy the model folder here and pass its path instead.")
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(repo, allow_patterns=["*.json", "*.safetensors", "*.txt", "*.model",
                                                            "*.jinja"]))
    except Exception as exc:  # hub, HTTP and disk errors all end the same way for the user
        raise ModelError(f"Downloading {repo} failed ({type(exc).__name__}: {str(exc)[:120]}); check the "
                         "connection and the disk, then run the same command again to resume.") from None


@dataclass(frozen=True)
class Encoded:
    """A prompt ready for the model, with the size of the image the model actually saw."""

    inputs: dict[str, Any]  # input_ids, attention_mask, pixel_values, image_grid_thw, mm_token_type_ids
    resized: tuple[int, int]  # (width, height) after the processor's resize
    grid: tuple[int, int]  # merged-token rows and columns

    def seen_image(self, mean: Any, std: Any) -> np.ndarray:
        """The resized image as the model saw it (uint8 RGB), rebuilt from the normalised patches."""
        pv = self.inputs["pixel_values"].float().cpu().numpy()
        rows, cols = self.grid
        p = int(round((pv.shape[1] / 6) ** 0.5))  # C=3 channels x 2 temporal copies x p x p
        patches = pv.reshape(rows, cols, 2, 2, 3, 2, p, p)[:, :, :, :, :, 0]
        img = patches.transpose(0, 2, 5, 1, 3, 6, 4).reshape(rows * 2 * p, cols * 2 * p, 3)
        img = img * np.asarray(std, np.float32) + np.asarray(mean, np.float32)
        return np.clip(np.rint(img * 255), 0, 255).astype(np.uint8)


@dataclass
class Prompter:
    """Tokenizer, image processor and chat template of one model: messages + screenshot -> model inputs."""

    tokenizer: Any
    images: Any
    chat_template: str

    def encode(self, messages: list[dict], image: np.ndarray) -> Encoded:
        import torch
        from PIL import Image

        pixels = self.images(images=[Image.fromarray(image)], return_tensors="pt")
        grid_thw = pixels["image_grid_thw"]
        t, h, w = (int(v) for v in grid_thw[0])
        merge = int(getattr(self.images, "merge_size", 2))
        text = self.tokenizer.apply_chat_template(messages, chat_template=self.chat_template, tokenize=False,
                                                  add_generation_prompt=True)
        pad = "<|image_pad|>"
        if text.count(pad) != 1:
            raise ValueError(f"the prompt must hold exactly one image, it holds {text.count(pad)}")
        text = text.replace(pad, pad * (t * h * w // merge**2))
        ids = self.tokenizer(text, return_tensors="pt", add_special_tokens=False)["input_ids"]
        image_id = self.tokenizer.convert_tokens_to_ids(pad)
        inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "pixel_values": pixels["pixel_values"],
                  "image_grid_thw": grid_thw, "mm_token_type_ids": (ids == image_id).to(torch.int)}
        patch = int(getattr(self.images, "patch_size", 14))
        return Encoded(inputs, (w * patch, h * patch), (h // merge, w // merge))

    def seen_image(self, encoded: Encoded) -> np.ndarray:
        return encoded.seen_image(self.images.image_mean, self.images.image_std)


def load_prompter(folder: Path, min_pixels: int, max_pixels: int) -> Prompter:
    """The model's tokenizer and image settings from its folder; the chat template from wherever it keeps it."""
    from transformers import AutoTokenizer
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

    from models.vlm_random import CHAT_TEMPLATE

    tok = AutoTokenizer.from_pretrained(folder)
    images = Qwen2VLImageProcessorPil.from_pretrained(folder, min_pixels=min_pixels, max_pixels=max_pixels)
    template = getattr(tok, "chat_template", None)
    if not template and (folder / "chat_template.json").is_file():
        template = json.loads((folder / "chat_template.json").read_text(encoding="utf-8")).get("chat_template")
    return Prompter(tok, images, template or CHAT_TEMPLATE)


def pick_device(device: str = "auto") -> tuple[str, Any]:
    """``auto``: CUDA with bfloat16 when a GPU is there, else CPU with float32."""
    import torch

    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ModelError("--device cuda was asked for but torch sees no CUDA GPU; use --device cpu.")
    return device, torch.bfloat16 if device == "cuda" else torch.float32


def check_from_layer(net: Any, from_layer: int, name: str) -> None:
    """ModelError unless ``from_layer`` names a layer of ``net``'s language model (0 to its number of layers)."""
    layers = net.config.get_text_config().num_hidden_layers
    if not 0 <= from_layer <= layers:
        raise ModelError(f"{name} has {layers} language-model layers; from_layer must be 0-{layers}.")


@dataclass
class LocalVLM:
    """A Qwen2-VL-family model loaded on first use; ``generate`` answers one screenshot + prompt."""

    model: str
    device: str = "auto"
    min_pixels: int = 256 * 28 * 28
    max_pixels: int = 1344 * 28 * 28
    _net: Any = field(default=None, repr=False)
    _prompter: Prompter | None = field(default=None, repr=False)

    @classmethod
    def from_parts(cls, net: Any, prompter: Prompter, name: str = "in-memory") -> LocalVLM:
        """An already built model and prompter (random test models, or one loaded elsewhere)."""
        return cls(name, _net=net, _prompter=prompter)

    @property
    def style(self) -> str:
        spec = known(self.model) or known(Path(self.model).name.lower())
        return spec.style if spec else "showui"

    def load(self) -> tuple[Any, Prompter]:
        if self._net is None:
            self._net, self._prompter = self._load()
        return self._net, self._prompter

    def _load(self) -> tuple[Any, Prompter]:
        folder = resolve(self.model)
        kind = check_folder(folder)
        try:
            import transformers
        except ImportError:
            raise ModelError("Local VLMs need torch and transformers: install DeskPilot's [vlm] extra.") from None
        device, dtype = pick_device(self.device)
        net = getattr(transformers, ARCHITECTURES[kind]).from_pretrained(folder, dtype=dtype).to(device).eval()
        return net, load_prompter(folder, self.min_pixels, self.max_pixels)

    def encode(self, messages: list[dict], image: np.ndarray) -> Encoded:
        net, prompter = self.load()
        enc = prompter.encode(messages, image)
        inputs = {k: v.to(net.device) for k, v in enc.inputs.items()}
        inputs["pixel_values"] = inputs["pixel_values"].to(net.dtype)
        return Encoded(inputs, enc.resized, enc.grid)

    def seen_image(self, encoded: Encoded) -> np.ndarray:
        return self.load()[1].seen_image(encoded)

    def generate(self, encoded: Encoded, keep: np.ndarray | None = None, max_new_tokens: int = 32,
                 prune_vision: bool = False, from_layer: int = 0) -> str:
        """Greedy answer; visual tokens outside ``keep`` (bool per merged cell, raster order) are dropped before
        the language model (from its layer ``from_layer`` on), and with ``prune_vision`` before the vision tower
        too."""
        import torch

        from models.vlm_select import greedy

        net, prompter = self.load()
        check_from_layer(net, from_layer, self.model)
        keep_t = None if keep is None else torch.as_tensor(np.asarray(keep, bool))
        eos = tuple(int(t) for t in {prompter.tokenizer.eos_token_id, prompter.tokenizer.convert_tokens_to_ids(
            "<|im_end|>"), prompter.tokenizer.convert_tokens_to_ids("<|endoftext|>")} if t is not None)
        out = greedy(net, encoded.inputs, keep_t, max_new_tokens, eos, prune_vision, from_layer)
        return prompter.tokenizer.decode(out.tokens, skip_special_tokens=True)
