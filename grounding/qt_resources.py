"""The pictures compiled into a Qt library (its rcc resources: ":/qt-project.org/styles/commonstyle/images/..."),
read from the library file without loading it.

Qt 6 redrew some of Qt 5's built-in pictures (Qt 5's file dialog draws its Back, Forward and Parent Directory as
arrows on discs, Qt 6 as bare triangles), so the pictures a Debian Qt 5 application draws are only in the Qt 5
library it links. rcc compiles a resource file into three arrays: a tree of nodes (a directory's children, a file's
data offset), the nodes' names (length, hash, UTF-16) and the files' data (length, bytes). Their places in the
library are found by what they hold: the names array begins with "qt-project.org", the tree's root is the node
whose first child is node 1, and the data array is where every file of the tree begins with its length.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

ROOT_NAME = "qt-project.org"  # the first name of every Qt library's own resources
NODE_SIZES = (22, 14)  # bytes a tree node takes: rcc format 2 and 3 (with a modification time), 1
DIRECTORY, COMPRESSED = 0x2, 0x1  # a node's flags
MAX_NODES = 5000  # a tree walked further than this is no tree, only bytes that looked like one
PNG = b"\x89PNG\r\n\x1a\n"


def files(library: Path) -> dict[str, bytes]:
    """The resource files compiled into ``library`` (path -> bytes), {} when it holds none or cannot be read."""
    try:
        data = library.read_bytes()
    except OSError:
        return {}
    out: dict[str, bytes] = {}
    for names in _name_arrays(data):
        for root, size in _roots(data):
            tree = _walk(data, root, size, names)
            if tree and (found := _contents(data, tree)):
                out.update(found)
    return out


def _hash(name: str) -> int:
    """rcc's hash of a node's name (qt_hash), stored beside it."""
    h = 0
    for ch in name:
        h = ((h << 4) + ord(ch)) & 0xFFFFFFFF
        h ^= (h & 0xF0000000) >> 23
        h &= 0x0FFFFFFF
    return h


def _name(data: bytes, at: int) -> str | None:
    """The name stored at ``at`` (length, hash, UTF-16 big-endian), or None when no name is stored there."""
    if at < 0 or at + 6 > len(data):
        return None
    n, h = struct.unpack_from(">HI", data, at)
    try:
        name = data[at + 6:at + 6 + 2 * n].decode("utf-16-be")
    except UnicodeDecodeError:
        return None
    return name if n and len(name) == n and _hash(name) == h else None


def _name_arrays(data: bytes) -> list[int]:
    """Where each names array begins: at a stored ROOT_NAME."""
    key = re.escape(ROOT_NAME.encode("utf-16-be"))
    return [m.start() - 6 for m in re.finditer(key, data) if _name(data, m.start() - 6) == ROOT_NAME]


def _roots(data: bytes) -> list[tuple[int, int]]:
    """(offset, node size) of each node that may be a tree's root: unnamed, a directory, its children from node 1."""
    found = re.finditer(rb"\x00\x00\x00\x00\x00\x02\x00\x00[\x00-\x03][\x00-\xff]\x00\x00\x00\x01", data)
    return [(m.start(), size) for m in found for size in NODE_SIZES]


def _walk(data: bytes, root: int, size: int, names: int) -> list[tuple[str, int, int]] | None:
    """(path, flags, data offset) of each file in the tree at ``root``, or None when it is no tree of ``names``."""
    out, pending, seen = [], [(0, "")], 0
    while pending:
        index, path = pending.pop()
        at = root + index * size
        seen += 1
        if at + size > len(data) or seen > MAX_NODES:
            return None
        name_at, flags = struct.unpack_from(">IH", data, at)
        name = _name(data, names + name_at)
        if name is None:
            return None
        full = f"{path}/{name}" if index else ""
        if flags & DIRECTORY:
            count, first = struct.unpack_from(">II", data, at + 6)
            pending += [(first + k, full) for k in range(count)]
        else:
            out.append((full, flags, struct.unpack_from(">I", data, at + 10)[0]))
    return out


def _contents(data: bytes, tree: list[tuple[str, int, int]]) -> dict[str, bytes]:
    """The tree's files' bytes, once the data array is found: where every file's data begins with its length
    and each uncompressed PNG with PNG's signature ({} when no place fits them all)."""
    pngs = [(off, path) for path, flags, off in tree if path.endswith(".png") and not flags & COMPRESSED]
    if not pngs:
        return {}
    first = min(pngs)[0]
    for m in re.finditer(re.escape(PNG), data):
        base = m.start() - 4 - first
        if all(data[base + off + 4:base + off + 12] == PNG for off, _ in pngs):
            return {path: blob for path, flags, off in tree if (blob := _blob(data, base + off, flags)) is not None}
    return {}


def _blob(data: bytes, at: int, flags: int) -> bytes | None:
    """A file's bytes at ``at`` (its length first; a zlib-compressed one's unpacked length after that)."""
    (n,) = struct.unpack_from(">I", data, at)
    raw = data[at + 4:at + 4 + n]
    if not flags & COMPRESSED:
        return raw
    try:
        return zlib.decompress(raw[4:])
    except zlib.error:
        return None  # zstd (flag 4) or a damaged file: not a picture to read
