"""Demonstration memory: find the recorded demos most like a task, and show their grounded steps to a planner.

Demos are indexed by their task descriptions. The default embedder is WordLlama (static token embeddings
whose 256-dimension weights ship inside its PyPI wheel, so nothing is downloaded); where it is not installed,
a TF-IDF index (numpy, word unigrams and bigrams) takes its place. For the planner::

    index = DemoIndex.load(DemoStore().root)      # or DemoIndex(demos)
    for demo in index.retrieve("save a note titled Groceries", k=2):
        prompt += format_example(demo)
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from planner.demos import Demo, DemoStore

STOP_WORDS = frozenset("a an the to of in on into for and or with then is it my me this that".split())


class Embedder(Protocol):
    name: str

    def fit(self, texts: list[str]) -> None: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...


def tokens(text: str) -> list[str]:
    """Lower-case words without stop words, plus word bigrams."""
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP_WORDS]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


@dataclass
class TfidfEmbedder:
    """Smoothed TF-IDF vectors over the indexed texts' vocabulary, L2-normalised."""

    name: str = "tfidf"
    vocab: dict[str, int] = field(default_factory=dict)
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def fit(self, texts: list[str]) -> None:
        docs = [set(tokens(t)) for t in texts]
        self.vocab = {w: i for i, w in enumerate(sorted(set().union(*docs)))} if docs else {}
        df = np.zeros(len(self.vocab))
        for doc in docs:
            for w in doc:
                df[self.vocab[w]] += 1
        self.idf = np.log((1 + len(docs)) / (1 + df)) + 1.0

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(self.vocab)))
        for row, text in enumerate(texts):
            for w, n in Counter(tokens(text)).items():
                if w in self.vocab:
                    out[row, self.vocab[w]] = (1 + math.log(n)) * self.idf[self.vocab[w]]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


@dataclass
class WordLlamaEmbedder:
    """WordLlama's bundled l2_supercat 256-d model, loaded from the installed package (never downloaded)."""

    name: str = "wordllama"
    _model: object = None

    def fit(self, texts: list[str]) -> None:
        if self._model is None:
            import wordllama
            from wordllama import WordLlama

            package = Path(wordllama.__file__).parent
            self._model = WordLlama.load(cache_dir=package, disable_download=True)

    def embed(self, texts: list[str]) -> np.ndarray:
        self.fit([])
        return np.asarray(self._model.embed(texts, norm=True), dtype=float)  # type: ignore[attr-defined]


def default_embedder() -> Embedder:
    """WordLlama when it is installed and its bundled weights load, else TF-IDF."""
    try:
        embedder = WordLlamaEmbedder()
        embedder.fit([])
        return embedder
    except Exception:  # not installed, or a wheel without its weights: retrieval still works, by words
        return TfidfEmbedder()


@dataclass
class DemoIndex:
    """Demos indexed by task description; ``retrieve`` returns the most similar first."""

    demos: list[Demo]
    embedder: Embedder = field(default_factory=default_embedder)
    _vectors: np.ndarray | None = None

    @classmethod
    def load(cls, root: Path | str | None = None, embedder: Embedder | None = None) -> DemoIndex:
        """Every complete demo with a task description under ``root`` (default: the demos folder)."""
        store = DemoStore(Path(root)) if root is not None else DemoStore()
        demos = [d for d in store.all() if d.task.strip() and d.meta.get("complete", True)]
        return cls(demos, embedder) if embedder is not None else cls(demos)

    def _index(self) -> np.ndarray:
        if self._vectors is None:
            texts = [d.task for d in self.demos]
            self.embedder.fit(texts)
            self._vectors = self.embedder.embed(texts) if texts else np.zeros((0, 1))
        return self._vectors

    def scores(self, task: str) -> list[tuple[Demo, float]]:
        """Every demo with its cosine similarity to ``task``, best first."""
        vectors = self._index()
        if not self.demos:
            return []
        query = self.embedder.embed([task])[0]
        sims = vectors @ query
        order = np.argsort(-sims, kind="stable")
        return [(self.demos[i], float(sims[i])) for i in order]

    def retrieve(self, task: str, k: int = 2, min_score: float = 0.05) -> list[Demo]:
        """The ``k`` demos whose tasks are most like ``task`` (those below ``min_score`` are left out)."""
        return [d for d, s in self.scores(task)[:k] if s >= min_score]


def format_example(demo: Demo, max_steps: int = 20) -> str:
    """A demo as a compact few-shot example: the task, then one grounded line per step (windows named once)."""
    lines = [f"Example task: {demo.task or demo.name}"]
    if demo.params:
        lines.append("Parameters: " + ", ".join(f"{{{k}}}" for k in demo.params))
    window = ""
    for i, step in enumerate(demo.steps[:max_steps], 1):
        if step.window and step.window != window:
            window = step.window
            lines.append(f"In the window {window!r}:")
        lines.append(f"{i}. {step.describe()}")
    if len(demo.steps) > max_steps:
        lines.append(f"... {len(demo.steps) - max_steps} more steps")
    return "\n".join(lines) + "\n"



def examples_for(task: str, root: Path | str | None = None, k: int = 2, min_score: float = 0.35) \
        -> tuple[str, list[str]]:
    """Few-shot text for the planner from the demonstrations most like ``task`` (and their names, for the
    trajectory); empty when there are no demonstrations or none is close enough to help."""
    store = DemoStore(Path(root)) if root is not None else DemoStore()
    if not store.names():
        return "", []
    demos = DemoIndex.load(root).retrieve(task, k, min_score)
    return "\n".join(format_example(d) for d in demos), [d.name for d in demos]
