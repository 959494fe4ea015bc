"""Names as people type them in a flag or a tool argument ("m3-ultra-512", "Llama 3.3 70B"),
turned into catalog ids by the question parser's name finder; the parser is imported only when
the name is not an id or alias already."""

from __future__ import annotations

import re
from collections.abc import Iterable

from advisor.ask.money import ZH_DIGITS
from advisor.catalog import Catalog
from advisor.errors import InvalidInput

_TRAILING_NUMBER = re.compile(r"[\s-](\d{2,3})$")


def hardware_named(catalog: Catalog, text: str) -> str:
    """A hardware id for `text`; the text unchanged when no single box matches, so the lookup
    says what it does not know, with a "did you mean"."""
    if catalog.hardware.find(text) is not None:
        return text
    from advisor.ask.parse import adjust_for_memory, find_names, normalize

    folded = normalize(text)
    spans = find_names(catalog, "hardware", folded)
    memory = _memory_after_name(folded, spans)
    if memory is not None:  # "m3-ultra-256" says what "m3-ultra-256gb" says
        folded += "gb"
        spans = find_names(catalog, "hardware", folded)
    found = {entry for entry, _, _ in adjust_for_memory(catalog, folded, spans)}
    if len(found) != 1:
        return text
    entry = found.pop()
    if memory is not None and catalog.hardware.get(entry).memory_gb != memory:
        return text  # no variant with that much memory: the lookup's "did you mean" says so
    return entry


def _memory_after_name(folded: str, spans: list[tuple[str, int, int]]) -> int | None:
    """The 256 of "m3-ultra-256": a bare number after every name found is the memory size
    (in "ryzen-ai-max-395" the number is part of the name)."""
    match = _TRAILING_NUMBER.search(folded)
    if match and spans and all(end <= match.start(1) for _, _, end in spans):
        return int(match.group(1))
    return None


def model_named(catalog: Catalog, text: str) -> str:
    """A model id for `text` when all of it is a known name ("Llama 3.3 70B", "qwen3:32b");
    else the text, so a typo gets the lookup's "did you mean"."""
    if catalog.models.find(text) is not None:
        return text
    from advisor.ask.parse import find_names, normalize

    folded = normalize(text)
    whole = [
        entry
        for entry, start, end in find_names(catalog, "models", folded)
        if start == 0 and end == len(folded)
    ]
    return whole[0] if whole else text


_COUNT_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "a pair of": 2, "pair of": 2, "dual": 2, "一对": 2, "一双": 2, **ZH_DIGITS,
}  # fmt: skip
# "2x rtx-4090", "two 3090s", "两张3090", "一对3090": the count, then the box
_COUNT_FIRST = re.compile(
    r"^\s*(\d{1,2}|" + "|".join(_COUNT_WORDS) + r")\s*"
    r"(?:[x×*]|张|台|块|(?<=[a-z\d])\s|(?<=[对双]))\s*(.+)$",
    flags=re.IGNORECASE,
)
_COUNT_LAST = re.compile(r"^(.+?)\s*[x×*:]\s*(\d{1,2})\s*$", flags=re.IGNORECASE)


def hardware_and_units(catalog: Catalog, spec: str) -> tuple[str, int]:
    """'2x rtx-4090', 'rtx-4090x2', 'RTX 4090 × 2' or 'dgx spark': (hardware id, units). An
    unknown box raises the lookup's UnknownName, with its "did you mean"."""
    box, units = _box_and_count(catalog, spec)
    return box, 1 if units is None else units


def box_with_units(catalog: Catalog, spec: str, units: int) -> tuple[str, int]:
    """The box a one-box request names and how many: '2x dgx-spark' is two of it, as in a
    comparison; a count written there and a different `units` given (other than the default
    one) cannot both stand."""
    box, written = _box_and_count(catalog, spec)
    if written is None or written == units:
        return box, units
    if units != 1:
        raise InvalidInput(f"{spec} says {written} units but {units} were asked for; say it once")
    return box, _usable_count(catalog, spec, box, written)


def _usable_count(catalog: Catalog, spec: str, box: str, units: int) -> int:
    """`units` of `box`, refused when the box is not used that many together ("99x-rtx-3090",
    "0x-rtx-3090")."""
    hardware = catalog.hardware.get(box)
    if not 1 <= units <= hardware.max_units:
        most = hardware.max_units
        raise InvalidInput(f"{spec}: {hardware.name} is used 1 to {most} together, not {units}")
    return units


def _box_and_count(catalog: Catalog, spec: str) -> tuple[str, int | None]:
    """(hardware id, the count written before or after it, or None)."""
    name, units = spec.strip(), None
    for pattern, name_group, count_group in ((_COUNT_FIRST, 2, 1), (_COUNT_LAST, 1, 2)):
        match = pattern.match(name)
        if match and catalog.hardware.find(hardware_named(catalog, match.group(name_group))):
            count = match.group(count_group).lower()
            name, units = match.group(name_group), _COUNT_WORDS.get(count) or int(count)
            break
    return catalog.hardware.get(hardware_named(catalog, name)).id, units


_LONE_COUNT = re.compile(r"^\s*\d{1,2}\s*[x×*]\s*$", flags=re.IGNORECASE)


def box_specs(specs: Iterable[str]) -> list[str]:
    """`2x dgx-spark` typed unquoted (two arguments) as the one spec '2x dgx-spark'."""
    joined: list[str] = []
    for spec in specs:
        if joined and _LONE_COUNT.match(joined[-1]):
            joined[-1] = f"{joined[-1]} {spec}"
        else:
            joined.append(spec)
    return joined


def boxes_read_as(catalog: Catalog, specs: Iterable[str]) -> list[tuple[str, str]]:
    """(spec as written, hardware id) for each spec that is not a catalog id or alias but was
    read as one: a typo ("mac-stduio") or a product line, which a face should say it read."""
    read: list[tuple[str, str]] = []
    for spec in box_specs(specs):
        box, _ = _box_and_count(catalog, spec)
        bare = _COUNT_FIRST.match(spec.strip()) or _COUNT_LAST.match(spec.strip())
        names = {spec.strip(), *(bare.groups() if bare else ())}
        if not any(catalog.hardware.find(name) is not None for name in names):
            read.append((spec.strip(), box))
    return read


def boxes_and_counts(
    catalog: Catalog, specs: Iterable[str]
) -> tuple[tuple[str, ...], list[int | None]]:
    """Box specs as a comparison names them ('2x dgx-spark', '1x rtx-4090', 'mac studio m3
    ultra'): their ids, and the count written of each (None where none was: the comparison
    picks it)."""
    ids: list[str] = []
    counts: list[int | None] = []
    for spec in box_specs(specs):
        box, units = _box_and_count(catalog, spec)
        ids.append(box)
        counts.append(None if units is None else _usable_count(catalog, spec, box, units))
    return tuple(ids), counts


_SIZE_SAID = re.compile(r"(?<![a-z])\d{2,4}\s*-?\s*(?:g|gb|t|tb)\b|\d{2,3}$", flags=re.IGNORECASE)


def names_a_line(catalog: Catalog, spec: str, hardware_id: str) -> bool:
    """Whether `spec`, read as `hardware_id`, names its product line without a size
    ("mac-studio-m5-ultra", "m5 ultra"): the line's largest configuration, which a bare name
    resolves to, among several (as the question parser reads "a Mac Studio M5 Ultra")."""
    hardware = catalog.hardware.get(hardware_id)
    if spec.strip() == hardware.id or hardware.line is None or _SIZE_SAID.search(spec.strip()):
        return False
    sizes = [h.memory_gb for h in catalog.hardware if h.line == hardware.line]
    return len(sizes) > 1 and hardware.memory_gb == max(sizes)
