"""'This machine', 'my computer', '本机', '我的电脑' in a question: the box it runs on.

Settings can pin it (`my_hardware`, e.g. "2x rtx-4090"); otherwise `advisor.detect` reads the
machine. A device the catalog lacks is planned for as a custom entry (measured memory,
borrowed bandwidth), added to this answer's catalog only."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from advisor.ask.parse import ParsedQuery
from advisor.catalog.entries import Hardware
from advisor.context import Advisor
from advisor.detect import Detected, custom_hardware, detect
from advisor.errors import InvalidInput
from advisor.render.env import render
from advisor.render.formats import plain
from advisor.requests import Language


def detected_machine(advisor: Advisor) -> Detected:
    """This machine as the settings pin it, or as `detect` reads it."""
    pinned = advisor.settings.my_hardware
    if pinned:
        return _pinned(advisor, pinned)
    # another root for /proc and /sys: a container reading its host's, or a recorded machine
    return detect(advisor.catalog, root=Path(os.environ.get("ADVISOR_DETECT_ROOT") or "/"))


def _pinned(advisor: Advisor, spec: str) -> Detected:
    """`my_hardware` from the settings, read the way a question names a box ("2x rtx-4090",
    "two 3090s"); a name that is no single catalog box is an error naming the setting."""
    from advisor.ask.parse import parse
    from advisor.paths import settings_path

    read = parse(advisor.catalog, spec)
    where = f"my_hardware '{spec}' in {settings_path()}"
    if read.clarify and read.clarify.slot == "hardware":
        near = read.clarify.choices
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise InvalidInput(f"{where} is no box I have figures for{hint}")
    if len(read.hardware) != 1:
        raise InvalidInput(f'{where} names no single box; write e.g. "2x rtx-4090"')
    entry = advisor.catalog.hardware.get(read.hardware[0])
    units = read.units or 1
    if units > entry.max_units:
        raise InvalidInput(f"{where}: {entry.name} is used {entry.max_units} at most together")
    return Detected(
        platform="apple"
        if entry.family == "apple"
        else "amd"
        if entry.family == "amd"
        else "nvidia",
        devices=[],
        ram_gb=None,
        hardware_id=entry.id,
        units=units,
        match="exact",
        notes=["pinned in settings (my_hardware)"],
        evidence=["settings my_hardware"],
    )


def _machine(advisor: Advisor) -> tuple[Advisor, Detected, Hardware | None]:
    """(the advisor whose catalog holds this machine, what was found, its entry); the entry is
    None when no GPU or unified-memory box was found."""
    found = detected_machine(advisor)
    entry = custom_hardware(found, advisor.catalog)  # None for a machine with no GPU
    if entry is not None and found.custom is not None:
        advisor = replace(advisor, catalog=advisor.catalog.with_hardware(entry), estimates={})
    return advisor, found, entry


def with_this_machine(
    advisor: Advisor, query: ParsedQuery, lang: Language
) -> tuple[Advisor, ParsedQuery, str]:
    """The question with this machine as its box, the advisor whose catalog has it, and a line
    saying what was found. A machine with no GPU leaves the question as it was."""
    advisor, found, entry = _machine(advisor)
    note = summary(found, entry, lang)
    if entry is None:
        return advisor, query, note
    if query.intent == "upgrade":
        owned = {"have": entry.id, "have_units": found.units}
        return advisor, query.model_copy(update=owned), note
    update: dict[str, object] = {
        "hardware": [entry.id],
        "assumed": {**query.assumed, "hardware": f"this machine: {_devices(found, entry)}"},
    }
    if found.units > 1 and query.units is None:
        update["units"] = found.units
    return advisor, query.model_copy(update=update), note


def machine_as_entry(advisor: Advisor) -> tuple[Advisor, str, int]:
    """(the advisor whose catalog has this machine, its hardware id, units); raises when no
    GPU or unified-memory box was found."""
    advisor, found, entry = _machine(advisor)
    if entry is None:
        raise InvalidInput(
            "no GPU found on this machine; give the box you have with --have (e.g. rtx-4090)"
        )
    return advisor, entry.id, found.units


def summary(found: Detected, entry: Hardware | None, lang: Language) -> str:
    return render(
        lang,
        "detected.md.j2",
        detected=found,
        entry=entry,
        devices=_devices(found, entry),
        mixed=len(found.devices) > 1,
    )


def _devices(found: Detected, entry: Hardware | None) -> str:
    if not found.devices:
        return plain(entry.name) if entry else "?"
    parts = []
    for device in found.devices:
        memory = f" {device.memory_gb:g} GB" if device.memory_gb else ""
        count = f"{device.count} × " if device.count > 1 else ""
        parts.append(f"{count}{plain(device.name)}{memory}")
    return ", ".join(parts)
