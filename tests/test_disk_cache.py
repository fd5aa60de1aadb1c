"""The user's cache of read-once data (grounding/disk_cache.py) and the three caches that use it: the theme icons'
shapes, the reference pictures and their descriptors."""

import os
from pathlib import Path

import numpy as np
import pytest

from grounding import disk_cache


def test_the_cache_folder_follows_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert disk_cache.cache_dir() == tmp_path / "deskpilot"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert disk_cache.cache_dir() == Path.home() / ".cache" / "deskpilot"


def test_arrays_saved_are_loaded_back_and_the_superseded_files_removed(tmp_path):
    old, other, busy = tmp_path / "shapes-aaa.npz", tmp_path / "words-aaa.npz", tmp_path / "shapes-ccc.tmp.9.npz"
    for f in (old, other, busy):
        f.write_bytes(b"old")
    path = tmp_path / "shapes-bbb.npz"
    assert disk_cache.save(path, {"names": np.array(["a", "b"]), "table": np.eye(2, dtype=np.float32)}, "shapes-")
    got = disk_cache.load(path, ("names", "table"))
    assert list(got["names"]) == ["a", "b"] and got["table"].dtype == np.float32 and got["table"][1, 1] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shapes-bbb.npz", "shapes-ccc.tmp.9.npz", "words-aaa.npz"]


def test_a_missing_broken_or_other_versions_file_loads_as_none(tmp_path):
    assert disk_cache.load(tmp_path / "none.npz", ("names",)) is None
    (tmp_path / "broken.npz").write_bytes(b"not a zip")
    assert disk_cache.load(tmp_path / "broken.npz", ("names",)) is None
    disk_cache.save(tmp_path / "v1.npz", {"names": np.array(["a"])}, "v1")
    assert disk_cache.load(tmp_path / "v1.npz", ("names", "dims")) is None  # written without what is asked now


def test_a_cache_that_cannot_be_written_is_no_error_and_leaves_no_temporary_file(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    assert not disk_cache.save(blocked / "x.npz", {"a": np.zeros(3)}, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who writes anywhere (root)")
        assert not disk_cache.save(folder / "x.npz", {"a": np.zeros(3)}, "x")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_ragged_arrays_are_packed_and_unpacked_whole():
    pieces = [np.arange(6, dtype=np.uint8).reshape(2, 3), np.ones((4, 1), np.uint8), np.zeros((0, 5), np.uint8)]
    dims, flat = disk_cache.pack(pieces, np.uint8)
    assert dims.tolist() == [[2, 3], [4, 1], [0, 5]] and flat.dtype == np.uint8 and len(flat) == 10
    back = disk_cache.unpack(dims, flat)
    assert all(a.shape == b.shape and (a == b).all() for a, b in zip(pieces, back))
    dims, flat = disk_cache.pack([], bool)
    assert dims.shape == (0, 2) and disk_cache.unpack(dims, flat) == []


def _theme(root: Path) -> None:
    """A tiny icon theme with two pictures at 16 px."""
    from PIL import Image

    folder = root / "tiny" / "16x16" / "actions"
    folder.mkdir(parents=True)
    for name, box in (("edit-undo", (2, 4, 14, 12)), ("go-up", (6, 1, 10, 15))):
        im = Image.new("RGBA", (16, 16), (0, 0, 0, 0))
        im.paste((0, 0, 0, 255), box)
        im.save(folder / f"{name}.png")


def test_the_theme_icons_shapes_are_kept_in_the_same_folder_and_read_back_the_same(tmp_path, monkeypatch):
    from grounding.theme_icons import _library

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _theme(tmp_path / "icons")
    (tmp_path / "cache" / "deskpilot").mkdir(parents=True)
    (tmp_path / "cache" / "deskpilot" / "theme-icons-0000.npz").write_bytes(b"from a theme since removed")
    roots = (tmp_path / "icons",)
    _library.cache_clear()
    fresh = _library(roots)
    assert sum(len(v) for v in fresh.values()) == 2
    assert [p.name for p in (tmp_path / "cache" / "deskpilot").iterdir()][0].startswith("theme-icons-")
    assert len(list((tmp_path / "cache" / "deskpilot").iterdir())) == 1  # the superseded file is gone
    _library.cache_clear()
    kept = _library(roots)
    assert fresh.keys() == kept.keys() and all(
        [n for n, _ in fresh[k]] == [n for n, _ in kept[k]] and all((a == b).all() for (_, a), (_, b) in
                                                                  zip(fresh[k], kept[k])) for k in fresh)
    _library.cache_clear()
