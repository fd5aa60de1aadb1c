"""Leaner graphs for the bundled OCR models: the same weights and arithmetic in fewer operators.

PaddleOCR exported PP-OCRv4's PPLCNetV3 backbone with every learnable affine (``x * s + b``, a scalar pair per
layer) and every hard-swish (``x * clip(x + 3, 0, 6) / 6``) spelled out as separate element-wise operators:
in the recognition model they are 60% of the nodes and a third of the run time, since each one walks the
whole feature map through memory. Here:

- an affine right after a Conv goes into that Conv's weights and bias;
- an affine right before a Conv goes into its weights (its shift too, where the Conv pads nothing; a padded
  Conv keeps one Add, since the padding must stay zero);
- a hard-swish becomes ``x * HardSigmoid(x)`` (two operators instead of four);
- the recogniser's closing Softmax is left out: greedy decoding needs only each column's best class, which the
  scores before it already give, and the probability of the few columns a line keeps is cheaper worked out for
  those alone (models/ocr.py does) than a softmax over 6,625 classes in every column;
- the shift a padded Conv keeps (``x + c`` before it) becomes a 1x1 depthwise Conv with weight 1 and bias c:
  onnxruntime runs Convs in its blocked (NCHWc) layout but an Add of a scalar in plain NCHW, so each such Add
  cost two layout conversions around it (a sixth of the recognition model's time).

Outputs match the original to float rounding, the recogniser's once a softmax is applied to them
(tests/test_ocr_engine.py checks it on rendered text); nothing is approximated. The folded files are written
once next to the user's cache, keyed by the source file's hash.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

VERSION = 3  # bump when the rewrite changes, so cached files are rebuilt


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "deskpilot" / "ocr"


def folded_path(source: Path, folder: Path | None = None) -> Path:
    """The folded copy of ``source``, built on first use; ``source`` itself if the rewrite is not possible."""
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    target = (folder or cache_dir()) / f"{source.stem}.v{VERSION}.{digest}.onnx"
    if target.exists():
        return target
    try:
        import onnx

        model = fold(onnx.load_from_string(data))
        onnx.checker.check_model(model)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as tmp:
            tmp.write(model.SerializeToString())
        os.replace(tmp.name, target)
        return target
    except Exception as exc:  # noqa: BLE001 - the original model always works; say why it is used
        log.warning("using the unfolded OCR model %s (%s: %s)", source.name, type(exc).__name__, exc)
        return source


def fold(model: Any) -> Any:
    """Rewrite ``model`` (an onnx ModelProto) in place as described above and return it."""
    graph = _Graph(model.graph)
    graph.fold_affine_after_conv()
    graph.fold_affine_before_conv()
    graph.fuse_hard_swish()
    graph.shifts_as_convs()
    graph.scores_out()
    graph.finish()
    return model


class _Graph:
    def __init__(self, graph: Any) -> None:
        from onnx import numpy_helper

        self.g = graph
        self.values: dict[str, np.ndarray] = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
        for n in graph.node:
            if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value":
                self.values[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
        self.new: dict[str, np.ndarray] = {}

    # --- helpers -------------------------------------------------------------------------------------------
    def scalar(self, name: str) -> float | None:
        v = self.new[name] if name in self.new else self.values.get(name)
        return float(v.reshape(())) if v is not None and v.size == 1 else None

    def users(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for n in self.g.node:
            for i in n.input:
                out.setdefault(i, []).append(n)
        for o in self.g.output:
            out.setdefault(o.name, []).append(None)  # a graph output is a user no rewrite may bypass
        return out

    def only_user(self, users: dict[str, list[Any]], name: str, op: str) -> Any:
        u = users.get(name, [])
        return u[0] if len(u) == 1 and u[0] is not None and u[0].op_type == op else None

    def affine(self, mul: Any, users: dict[str, list[Any]]) -> tuple[float, float, str, Any] | None:
        """``Mul(x, s)`` whose only user is ``Add(., b)``, s and b scalars: (s, b, x, the Add)."""
        if mul.op_type != "Mul":
            return None
        s, x = self.scalar(mul.input[0]), mul.input[1]
        if s is None:
            s, x = self.scalar(mul.input[1]), mul.input[0]
        add = self.only_user(users, mul.output[0], "Add")
        if s is None or add is None:
            return None
        b = self.scalar(add.input[1] if add.input[0] == mul.output[0] else add.input[0])
        return None if b is None else (s, b, x, add)

    def conv_params(self, conv: Any) -> tuple[np.ndarray, np.ndarray]:
        w = self.new[conv.input[1]] if conv.input[1] in self.new else self.values.get(conv.input[1])
        if w is None:
            raise ValueError(f"Conv {conv.name} has weights computed at run time")
        b = np.zeros(w.shape[0], np.float32)
        if len(conv.input) > 2 and conv.input[2]:
            b = self.new[conv.input[2]] if conv.input[2] in self.new else self.values[conv.input[2]]
        return w.astype(np.float32), b.astype(np.float32)

    def set_conv(self, conv: Any, x: str, w: np.ndarray, b: np.ndarray, tag: str) -> None:
        wn, bn = f"{conv.name or conv.output[0]}_{tag}_w", f"{conv.name or conv.output[0]}_{tag}_b"
        self.new[wn], self.new[bn] = w.astype(np.float32), b.astype(np.float32)
        del conv.input[:]
        conv.input.extend([x, wn, bn])

    GONE = "DeskPilotRemoved"  # nodes are marked, then filtered: protobuf wrappers have no stable identity

    def remove(self, *nodes: Any) -> None:
        for n in nodes:
            n.op_type = self.GONE

    def sweep(self) -> None:
        kept = [n for n in self.g.node if n.op_type != self.GONE]
        del self.g.node[:]
        self.g.node.extend(kept)

    @staticmethod
    def pads_anything(conv: Any) -> bool:
        from onnx import helper

        for a in conv.attribute:
            v = helper.get_attribute_value(a)
            if a.name == "pads" and any(v):
                return True
            if a.name == "auto_pad" and v not in (b"NOTSET", b"VALID", "NOTSET", "VALID"):
                return True
        return False

    # --- rewrites ------------------------------------------------------------------------------------------
    def fold_affine_after_conv(self) -> None:
        """Conv -> Mul s -> Add b  ==>  Conv with W*s, B*s + b."""
        users = self.users()
        for conv in [n for n in self.g.node if n.op_type == "Conv"]:
            mul = self.only_user(users, conv.output[0], "Mul")
            found = self.affine(mul, users) if mul is not None else None
            if found is None:
                continue
            s, b, _, add = found
            w, bias = self.conv_params(conv)
            self.set_conv(conv, conv.input[0], w * s, bias * s + b, "post")
            conv.output[0] = add.output[0]
            self.remove(mul, add)
        self.sweep()

    def fold_affine_before_conv(self) -> None:
        """Mul s -> Add b -> Conv  ==>  Conv with W*s (and B + b*sum(W), or an Add of b/s kept if it pads)."""
        users = self.users()
        for mul in [n for n in self.g.node if n.op_type == "Mul"]:
            found = self.affine(mul, users)
            if found is None:
                continue
            s, b, x, add = found
            conv = self.only_user(users, add.output[0], "Conv")
            if conv is None or conv.input[0] != add.output[0] or s == 0.0:
                continue
            w, bias = self.conv_params(conv)
            if self.pads_anything(conv):  # Conv(W s)(x + b/s): the zero padding stays zero
                shift = f"{add.output[0]}_shift"
                self.new[shift] = np.array(b / s, np.float32)
                del add.input[:]
                add.input.extend([x, shift])
                self.set_conv(conv, add.output[0], w * s, bias, "pre")
                self.remove(mul)
            else:
                self.set_conv(conv, x, w * s, bias + b * w.sum(axis=(1, 2, 3)), "pre")
                self.remove(mul, add)
        self.sweep()

    def fuse_hard_swish(self) -> None:
        """Add 3 -> Clip 0..6 -> Mul x -> Div 6  ==>  x * HardSigmoid(x; 1/6, 1/2)."""
        from onnx import helper

        users = self.users()
        for add in [n for n in self.g.node if n.op_type == "Add"]:
            if self.scalar(add.input[1]) != 3.0:
                continue
            x = add.input[0]
            clip = self.only_user(users, add.output[0], "Clip")
            if clip is None or len(clip.input) < 3 or (self.scalar(clip.input[1]), self.scalar(clip.input[2])) != (
                    0.0, 6.0):
                continue
            mul = self.only_user(users, clip.output[0], "Mul")
            if mul is None or set(mul.input) != {x, clip.output[0]}:
                continue
            div = self.only_user(users, mul.output[0], "Div")
            if div is None or self.scalar(div.input[1]) != 6.0:
                continue
            gate = f"{x}_hardsigmoid"  # the Add becomes the gate and the Clip the product, in place (keeps order)
            add.CopyFrom(helper.make_node("HardSigmoid", [x], [gate], name=add.name, alpha=1 / 6, beta=0.5))
            clip.CopyFrom(helper.make_node("Mul", [x, gate], [div.output[0]], name=clip.name))
            self.remove(mul, div)
        self.sweep()

    def shifts_as_convs(self) -> None:
        """Add(x, c) -> Conv, c a scalar  ==>  depthwise 1x1 Conv(x; W=1, B=c) -> Conv (the same sums)."""
        from onnx import helper

        users = self.users()
        for add in [n for n in self.g.node if n.op_type == "Add"]:
            c = self.scalar(add.input[1])
            conv = self.only_user(users, add.output[0], "Conv")
            if c is None or conv is None:
                continue
            w, _ = self.conv_params(conv)
            channels = w.shape[1] * next((a.i for a in conv.attribute if a.name == "group"), 1)
            wn, bn = f"{add.output[0]}_dw_w", f"{add.output[0]}_dw_b"
            self.new[wn] = np.ones((channels, 1, 1, 1), np.float32)
            self.new[bn] = np.full(channels, c, np.float32)
            add.CopyFrom(helper.make_node("Conv", [add.input[0], wn, bn], [add.output[0]], name=add.name,
                                          group=channels, kernel_shape=[1, 1]))
        self.sweep()

    def scores_out(self) -> None:
        """Softmax over the last axis making a graph output (itself, or through the Reshape that restores its
        shape) ==> the graph ends at the Softmax's input: the class scores, the same best class in every column."""
        users = self.users()
        outputs = {o.name for o in self.g.output}
        ranks = {o.name: len(o.type.tensor_type.shape.dim) for o in self.g.output}
        for softmax in [n for n in self.g.node if n.op_type == "Softmax"]:
            axis = next((a.i for a in softmax.attribute if a.name == "axis"), None)  # the default varies by opset
            reshape = self.only_user(users, softmax.output[0], "Reshape")
            if axis != -1 and axis != ranks.get(softmax.output[0], 0) - 1:
                continue
            producer = next((n for n in self.g.node if softmax.input[0] in n.output), None)
            if reshape is not None and reshape.output[0] in outputs:
                reshape.input[0] = softmax.input[0]
            elif softmax.output[0] in outputs and producer is not None and len(users[softmax.input[0]]) == 1:
                producer.output[list(producer.output).index(softmax.input[0])] = softmax.output[0]
            else:
                continue
            self.remove(softmax)
        self.sweep()

    def finish(self) -> None:
        """Add the new weights; drop initializers and constants nothing reads any more."""
        from onnx import numpy_helper

        for name, value in self.new.items():
            self.g.initializer.append(numpy_helper.from_array(value, name))
        used = {i for n in self.g.node for i in n.input} | {o.name for o in self.g.output}
        inits = [i for i in self.g.initializer if i.name in used]
        del self.g.initializer[:]
        self.g.initializer.extend(inits)
        self.remove(*(n for n in self.g.node if n.op_type == "Constant" and n.output[0] not in used))
        self.sweep()
