"""A GGUF file's header as a catalog model, read with bounded reads: each declared length is
checked against the bytes the file has before anything is built from it."""

from __future__ import annotations

import math
import mmap
import os
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from advisor.catalog.file_values import (
    MAX_CONTEXT,
    MAX_EXPERTS,
    MAX_HEAD_DIM,
    MAX_HEADS,
    MAX_HIDDEN,
    MAX_LAYERS,
    MAX_VOCAB,
    MAX_WIDTH,
    NotKept,
    is_unset,
    one_line,
    shown,
    slug,
)
from advisor.errors import CatalogFileError

# --- GGUF ------------------------------------------------------------------------------------
#
# The header is read here, not by gguf.GGUFReader: that reader memory-maps the file and builds
# numpy arrays from the counts the file declares (one array per vocabulary entry), so a 68-byte
# file declaring 10^8 elements hangs it for minutes, and even a real 150k-token vocabulary costs
# it seconds and hundreds of MB. This walker reads the GGUF layout (gguf-py's constants: magic
# "GGUF", version 2 or 3, uint64 tensor and key/value counts, typed values, tensor infos) with
# bounded reads: every declared length or count is checked against the bytes the file has left
# before it is used, nothing is allocated from a declared count, and arrays are skipped (only
# short numeric ones, such as per-layer head counts, are kept). Tensor data is never read, so a
# header cut from a large file imports too.

_GGUF_SCALARS = {  # value type: struct code (the fixed-size types)
    0: "B",  # uint8
    1: "b",  # int8
    2: "H",  # uint16
    3: "h",  # int16
    4: "I",  # uint32
    5: "i",  # int32
    6: "f",  # float32
    7: "?",  # bool
    10: "Q",  # uint64
    11: "q",  # int64
    12: "d",  # float64
}
_GGUF_STRING, _GGUF_ARRAY = 8, 9
_GGUF_TYPE_NAMES = {
    0: "uint8",
    1: "int8",
    2: "uint16",
    3: "int16",
    4: "uint32",
    5: "int32",
    6: "float32",
    7: "bool",
    8: "string",
    9: "array",
    10: "uint64",
    11: "int64",
    12: "float64",
}
_GGUF_MAX_KEYS = 100_000
_GGUF_MAX_TENSORS = 1_000_000
_GGUF_MAX_NAME = 65_535  # bytes in a key or a tensor name
_GGUF_MAX_DIMS = 4  # ggml's GGML_MAX_DIMS
_GGUF_MAX_DEPTH = 8  # arrays of arrays of ...
_GGUF_MAX_STRINGS = 10_000_000  # strings inside arrays, stepped over one by one (~1 s)
_GGUF_MAX_NESTED = 100_000  # arrays inside arrays (real files have none), likewise
_GGUF_MAX_TENSOR_ELEMENTS = 2**53
_GGUF_KEEP_STRING = 4_096  # bytes; longer strings (chat templates) are skipped
_GGUF_KEEP_ARRAY = 4_096  # numeric elements; longer arrays (vocabulary scores) are skipped
_GGUF_MIN_KEY_VALUE = 13  # key length (8), value type (4), the smallest value (1)
_GGUF_MIN_TENSOR = 24  # name length (8), dimension count (4), type (4), data offset (8)


@dataclass(frozen=True)
class _GGUFHeader:
    metadata: dict[str, Any]
    tensors: list[tuple[str, tuple[int, ...]]]  # (name, dimensions)


def _quoted(name: str) -> str:
    return repr(name) if len(name) <= 60 else repr(name[:57]) + "..."


class _GGUFWalker:
    """One pass over a GGUF header, with every declared size checked before it is used."""

    def __init__(self, path: Path, data: mmap.mmap) -> None:
        self.path = path
        self.data = data
        self.size = len(data)
        self.pos = 0
        self.order = "<"
        self.strings = 0
        self.nested = 0

    def fail(self, reason: str) -> NoReturn:
        raise CatalogFileError(str(self.path), f"not a readable GGUF file ({reason})")

    def left(self) -> int:
        return self.size - self.pos

    def take(self, length: int, what: str) -> int:
        """Step over `length` bytes (which must be in the file); their offset."""
        if length > self.left():
            self.fail(
                f"{what} at byte {self.pos:,} needs {length:,} bytes but only {self.left():,} "
                "remain"
            )
        start = self.pos
        self.pos += length
        return start

    def unpack(self, code: str, what: str) -> Any:
        fmt = self.order + code
        return struct.unpack_from(fmt, self.data, self.take(struct.calcsize(fmt), what))[0]

    def count(self, what: str, each: int, most: int | None = None) -> int:
        """A declared uint64 count of items of at least `each` bytes: at most `most` (if given),
        and fitting in the bytes left."""
        declared = int(self.unpack("Q", what))
        if most is not None and declared > most:
            self.fail(f"{what} is {declared:,}, more than the {most:,} allowed")
        if declared * each > self.left():
            self.fail(
                f"{what} is {declared:,}, which needs at least {declared * each:,} bytes but "
                f"only {self.left():,} remain"
            )
        return declared

    def name(self, what: str) -> str:
        length = self.count(f"the length of {what}", 1, _GGUF_MAX_NAME)
        start = self.take(length, what)
        try:
            return self.data[start : start + length].decode("utf-8")
        except UnicodeDecodeError:
            self.fail(f"{what} at byte {start:,} is not UTF-8 text")

    def value(self, kind: int, what: str, depth: int) -> Any:
        code = _GGUF_SCALARS.get(kind)
        if code is not None:
            return self.unpack(code, what)
        if kind == _GGUF_STRING:
            length = self.count(f"the length of {what}", 1)
            start = self.take(length, what)
            if length > _GGUF_KEEP_STRING:
                return NotKept(f"a string of {length:,} bytes")
            return self.data[start : start + length].decode("utf-8", errors="replace")
        if kind == _GGUF_ARRAY:
            return self.array(what, depth + 1)
        self.fail(f"{what} has unknown value type {kind}")

    def array(self, what: str, depth: int) -> Any:
        if depth > _GGUF_MAX_DEPTH:
            self.fail(f"{what} nests arrays more than {_GGUF_MAX_DEPTH} deep")
        kind = int(self.unpack("I", f"the element type of {what}"))
        code = _GGUF_SCALARS.get(kind)
        if code is not None:
            each = struct.calcsize(self.order + code)
        elif kind in (_GGUF_STRING, _GGUF_ARRAY):
            each = 8 if kind == _GGUF_STRING else 12  # a length; an element type and a count
        else:
            self.fail(f"{what} is an array of unknown value type {kind}")
        length = self.count(f"the element count of {what}", each)
        kept = f"an array of {length:,} {_GGUF_TYPE_NAMES[kind]} values"
        if code is not None:
            start = self.take(length * each, what)
            if length > _GGUF_KEEP_ARRAY:
                return NotKept(kept)
            return list(struct.unpack_from(f"{self.order}{length}{code}", self.data, start))
        if kind == _GGUF_STRING:
            self.strings += length
            if self.strings > _GGUF_MAX_STRINGS:
                self.fail(f"its arrays hold more than {_GGUF_MAX_STRINGS:,} strings")
            self.skip_strings(length, what)
        else:
            self.nested += length
            if self.nested > _GGUF_MAX_NESTED:
                self.fail(f"its arrays hold more than {_GGUF_MAX_NESTED:,} arrays")
            inner = what if what.startswith("an array nested in ") else f"an array nested in {what}"
            for _ in range(length):
                self.array(inner, depth + 1)
        return NotKept(kept)

    def skip_strings(self, count: int, what: str) -> None:
        """Step over `count` strings (a vocabulary): a tight loop, as there can be a million."""
        data, size, pos = self.data, self.size, self.pos
        length_at = struct.Struct(self.order + "Q").unpack_from
        for _ in range(count):
            if pos + 8 > size:
                break
            pos += 8 + length_at(data, pos)[0]
            if pos > size:
                break
        else:
            self.pos = pos
            return
        self.fail(f"a string in {what} runs past the end of the file")

    def header(self) -> _GGUFHeader:
        if self.data[:4] != b"GGUF":
            self.fail("it does not start with the GGUF magic bytes")
        self.pos = 4
        version = self.unpack("I", "the version")
        if version & 0xFFFF == 0:  # written on a big-endian machine
            self.order = ">"
            version = struct.unpack_from(">I", self.data, 4)[0]
        if version not in (2, 3):
            self.fail(f"version {version:,}; only versions 2 and 3 are read")
        tensors = self.count("the tensor count", _GGUF_MIN_TENSOR, _GGUF_MAX_TENSORS)
        keys = self.count("the key/value count", _GGUF_MIN_KEY_VALUE, _GGUF_MAX_KEYS)
        if tensors * _GGUF_MIN_TENSOR + keys * _GGUF_MIN_KEY_VALUE > self.left():
            self.fail(
                f"{tensors:,} tensors and {keys:,} keys need more than the {self.left():,} "
                "bytes left"
            )
        metadata: dict[str, Any] = {}
        for index in range(keys):
            key = self.name(f"key #{index + 1:,}")
            kind = int(self.unpack("I", f"the value type of {_quoted(key)}"))
            if key in metadata:
                self.fail(f"key {_quoted(key)} appears twice")
            metadata[key] = self.value(kind, f"the value of {_quoted(key)}", 0)
        infos: list[tuple[str, tuple[int, ...]]] = []
        names: set[str] = set()
        for index in range(tensors):
            name = self.name(f"the name of tensor #{index + 1:,}")
            if name in names:
                self.fail(f"tensor {_quoted(name)} appears twice")
            names.add(name)
            dims = int(self.unpack("I", f"the dimension count of tensor {_quoted(name)}"))
            if not 1 <= dims <= _GGUF_MAX_DIMS:
                self.fail(f"tensor {_quoted(name)} has {dims:,} dimensions; GGUF allows 1 to 4")
            shape = tuple(
                int(self.unpack("Q", f"the shape of tensor {_quoted(name)}")) for _ in range(dims)
            )
            if math.prod(shape) > _GGUF_MAX_TENSOR_ELEMENTS:
                self.fail(f"tensor {_quoted(name)} declares {math.prod(shape):,} elements")
            self.take(12, f"the type and data offset of tensor {_quoted(name)}")
            infos.append((name, shape))
        return _GGUFHeader(metadata, infos)


def _read_gguf_header(path: Path) -> _GGUFHeader:
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                raise CatalogFileError(str(path), "not a readable GGUF file (it is empty)")
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return _GGUFWalker(path, data).header()
    except (OSError, ValueError, struct.error, OverflowError) as exc:
        reason = one_line(str(exc)) or exc.__class__.__name__
        raise CatalogFileError(str(path), f"not a readable GGUF file ({reason})") from None


class _GGUFMetadata:
    """Lookups of one GGUF header's `{arch}.{key}` metadata, each checked."""

    def __init__(self, path: Path, header: _GGUFHeader) -> None:
        self.path = path
        self.metadata = header.metadata
        arch = self.metadata.get("general.architecture")
        if arch is None:
            raise CatalogFileError(
                str(path), "missing from the GGUF metadata", field="general.architecture"
            )
        if not isinstance(arch, str) or not re.fullmatch(r"[\w.+-]{1,100}", arch):
            raise CatalogFileError(
                str(path),
                f"must be an architecture name (letters, digits, '_.+-'), got {shown(arch)}",
                field="general.architecture",
            )
        self.arch = arch

    def _whole(self, key: str, value: Any, high: int, limit: str) -> int:
        if isinstance(value, list) and value and all(type(item) is int for item in value):
            value = max(value)  # given per layer: the largest
        if type(value) is not int or not 1 <= value <= high:
            raise CatalogFileError(
                str(self.path),
                f"must be a whole number from 1 to {high:,}{limit}, got {shown(value)}",
                field=f"{self.arch}.{key}",
            )
        return value

    def required(self, key: str, high: int) -> int:
        value = self.metadata.get(f"{self.arch}.{key}")
        if value is None:
            raise CatalogFileError(
                str(self.path), "missing from the GGUF metadata", field=f"{self.arch}.{key}"
            )
        return self._whole(key, value, high, "")

    def optional(self, key: str, high: int, limit: str = "") -> int | None:
        """`{arch}.{key}` as a whole number from 1 to `high`, or None if missing or 0."""
        value = self.metadata.get(f"{self.arch}.{key}")
        return None if is_unset(value) else self._whole(key, value, high, limit)

    def name(self) -> str | None:
        value = self.metadata.get("general.name")
        return (value.strip() or None) if isinstance(value, str) else None


def _tensor_counts(headers: list[_GGUFHeader]) -> tuple[int, int, int, bool]:
    """(all parameters, expert parameters, vocabulary size, has an output head), over every
    shard of a split file."""
    total = expert_total = vocab = 0
    has_output = False
    for name, shape in (tensor for header in headers for tensor in header.tensors):
        count = math.prod(shape)
        total += count
        if "_exps" in name:
            expert_total += count
        if name == "token_embd.weight":
            vocab = max(shape)
        if name == "output.weight":
            has_output = True
    return total, expert_total, vocab, has_output


def _from_gguf(path: Path, more_shards: Sequence[Path] = ()) -> dict[str, Any]:
    """A model entry from the header of `path` (the first shard of a split file: the other
    shards' tensors, in `more_shards`, count towards the parameters)."""
    header = _read_gguf_header(path)
    meta = _GGUFMetadata(path, header)
    headers = [header, *(_read_gguf_header(shard) for shard in more_shards)]
    total, expert_total, vocab, has_output = _tensor_counts(headers)
    layers = meta.required("block_count", MAX_LAYERS)
    hidden = meta.required("embedding_length", MAX_HIDDEN)
    heads = meta.required("attention.head_count", MAX_HEADS)
    kv_heads = meta.optional("attention.head_count_kv", heads, " (the number of attention heads)")
    experts = meta.optional("expert_count", MAX_EXPERTS)
    experts_active = meta.optional(
        "expert_used_count", experts or MAX_EXPERTS, " (the number of experts)" if experts else ""
    )
    active = total - expert_total
    if experts and experts_active and expert_total:
        active += expert_total * experts_active // experts
    kv_lora = meta.optional("attention.kv_lora_rank", MAX_WIDTH)
    rope = meta.optional("rope.dimension_count", MAX_HEAD_DIM)
    window = meta.optional("attention.sliding_window", MAX_CONTEXT)
    head_dim = meta.optional("attention.value_length", MAX_HEAD_DIM) or meta.optional(
        "attention.key_length", MAX_HEAD_DIM
    )
    if head_dim is None:
        if hidden % heads:
            raise CatalogFileError(
                str(path),
                f"{hidden:,} does not divide into {heads:,} attention heads, and no "
                "attention.key_length is given",
                field=f"{meta.arch}.embedding_length",
            )
        head_dim = hidden // heads
    name = meta.name() or path.stem
    return {
        "id": slug(name),
        "name": name,
        "family": meta.arch,
        "params_total_b": total / 1e9,
        "params_active_b": active / 1e9,
        "expert_params_b": expert_total / 1e9,
        "layers": layers,
        "hidden_size": hidden,
        "heads": heads,
        "kv_heads": kv_heads or heads,
        "head_dim": head_dim,
        "vocab_size": vocab or meta.optional("vocab_size", MAX_VOCAB) or 32000,
        "tied_embeddings": not has_output,
        "attention": "mla" if kv_lora else "gqa",
        "kv_lora_rank": kv_lora,
        "qk_rope_head_dim": rope if kv_lora else None,
        "sliding_window": None,
        "full_attention_layers": None,
        "experts": experts,
        "experts_active": experts_active if experts else None,
        "native_dtype": "bf16",
        "max_context": meta.optional("context_length", MAX_CONTEXT) or 4096,
        "notes": f"imported from GGUF metadata of {path.name}"
        + (f"; sliding window {window} not modelled" if window else ""),
        "sources": {
            "*": f"GGUF metadata of {path.resolve()}",
            "params_total_b": f"derived: sum of tensor sizes in {path.name}",
            "params_active_b": "derived: non-expert tensors + expert tensors x used/total experts",
        },
    }
