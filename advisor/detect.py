"""What hardware is this machine? Read without root and named in the catalog.

Order: `nvidia-smi` (then NVML, when installed and reading the real machine), Apple Silicon
(`sysctl`, `system_profiler`), an AMD Ryzen AI Max ("Strix Halo", from /proc/cpuinfo),
`rocm-smi`, amdgpu in sysfs, and finally plain RAM. A tool that is missing, fails, hangs or
prints nonsense is noted and skipped; nothing here raises.

Memory sizes are the vendors' marketed figures, which the catalog writes as "GB": a "24 GB"
RTX 4090 reports 24564 MiB and a "512 GB" Mac 512 x 2**30 bytes, so measured bytes are
divided by 2**30 to compare like with like.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import re
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, computed_field

from advisor.errors import printable

if TYPE_CHECKING:
    from advisor.catalog import Catalog
    from advisor.catalog.entries import Hardware

Platform = Literal["nvidia", "apple", "amd", "cpu"]
MatchKind = Literal["exact", "nearest", "custom", "none"]

GIB = 1024**3
MAX_OUTPUT_BYTES = 512 * 1024  # every tool here prints a few KB; more is not an answer
MAX_FILE_BYTES = 1024 * 1024
MAX_UNITS = 64  # what advisor plans for at most (requests.py)
MAX_NAME_CHARS = 120
NVIDIA_SMI = ("nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader,nounits")
ROCM_SMI = ("rocm-smi", "--showproductname", "--showmeminfo", "vram", "--json")
STRIX_HALO_SIZES = (32, 64, 96, 128)  # GB the Ryzen AI Max boxes are sold with
INTEGRATED_VRAM_GIB = 2.0  # an amdgpu device with less is an APU's carve-out, not a card


class Device(BaseModel):
    """One kind of accelerator found, and how many of it."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: str
    memory_gb: float | None
    count: int = 1
    gpu_cores: int | None = None


class CustomEntry(BaseModel):
    """A device the catalog does not list: measured memory, bandwidth borrowed from an entry."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: str
    family: Literal["apple", "nvidia", "amd"]
    memory_gb: float
    bandwidth_gbs: float
    bandwidth_from: str
    note: str


class Detected(BaseModel):
    """What `advisor detect` found, the catalog entry it maps to, and how it knows."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    platform: Platform
    devices: list[Device]
    ram_gb: float | None
    hardware_id: str | None
    units: int = 1
    match: MatchKind
    custom: CustomEntry | None = None
    notes: list[str]
    evidence: list[str]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def hardware_spec(self) -> str | None:
        """The box as the rest of advisor names it: "rtx-4090", "2x rtx-4090"; None if custom."""
        if self.hardware_id is None:
            return None
        return self.hardware_id if self.units == 1 else f"{self.units}x {self.hardware_id}"


class _Match(NamedTuple):
    hardware_id: str | None
    match: MatchKind
    custom: CustomEntry | None
    note: str | None


class _Outcome(NamedTuple):
    text: str | None
    problem: str | None


# ---------------------------------------------------------------- reading the machine


@dataclass
class _Probe:
    """Runs tools and reads files for one detection, keeping notes and evidence."""

    root: Path
    env: dict[str, str]
    timeout: float
    notes: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:  # two steps may both miss the same tool
            self.notes.append(text)

    def run(self, argv: Sequence[str]) -> str | None:
        """The tool's stdout, or None (with a note) when it is missing or gives no answer."""
        path = self.env.get("PATH", "")
        exe = shutil.which(argv[0], path=path) if path else None  # "" would search the cwd
        if exe is None:
            self.note(f"{argv[0]}: not found on PATH")
            return None
        command = " ".join(argv)
        self.evidence.append(command)
        outcome = _run_capped([exe, *argv[1:]], self.env, self.timeout)
        if outcome.problem is not None:
            self.note(f"{argv[0]}: {outcome.problem}")
        return outcome.text

    def exists(self, logical: str) -> bool:
        return (self.root / logical.lstrip("/")).is_file()

    def read(self, logical: str) -> str | None:
        """A file under the probe's root ("/proc/meminfo"), or None when it cannot be read."""
        path = self.root / logical.lstrip("/")
        try:
            if not path.is_file():  # a FIFO or device would block or never end
                return None
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES)
        except OSError:
            return None
        self.evidence.append(logical)
        return data.decode("utf-8", errors="replace")

    def glob(self, logical_dir: str, pattern: str) -> list[str]:
        base = self.root / logical_dir.lstrip("/")
        try:
            names = sorted(p.name for p in base.iterdir() if re.fullmatch(pattern, p.name))
        except OSError:
            return []
        return [f"{logical_dir.rstrip('/')}/{name}" for name in names[:MAX_UNITS]]


def _run_capped(argv: list[str], env: Mapping[str, str], timeout: float) -> _Outcome:
    """Run without a shell; stop at `timeout` seconds or MAX_OUTPUT_BYTES, whichever first."""
    posix = os.name == "posix"
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env),
            bufsize=0,
            start_new_session=posix,  # so a stand-in's children can be stopped with it
        )
    except (OSError, ValueError) as exc:
        return _Outcome(None, f"could not start ({exc.__class__.__name__})")
    stop = _stopper(proc, posix)
    out, err = _PipeReader(proc.stdout, stop), _PipeReader(proc.stderr, stop)
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop()
        proc.wait()
        return _Outcome(None, f"no answer within {timeout:g} s")
    out.join(0.5)
    err.join(0.5)
    if out.overflowed or err.overflowed:
        return _Outcome(None, f"printed more than {MAX_OUTPUT_BYTES // 1024} KB; ignored")
    if code != 0:
        said = _first_line(err.text() or out.text())
        return _Outcome(None, f"exited {code}" + (f": {said}" if said else ""))
    return _Outcome(out.text(), None)


def _stopper(proc: subprocess.Popen[bytes], posix: bool) -> Callable[[], None]:
    def stop() -> None:
        try:
            if posix:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
        except OSError:
            pass  # already gone

    return stop


class _PipeReader:
    """Reads one pipe in a thread, up to MAX_OUTPUT_BYTES; past that it stops the tool."""

    def __init__(self, pipe: Any, on_overflow: Callable[[], None]) -> None:
        self._chunks: list[bytes] = []
        self._size = 0
        self.overflowed = False
        self._pipe = pipe
        self._on_overflow = on_overflow
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            while chunk := os.read(self._pipe.fileno(), 65536):
                self._size += len(chunk)
                if self._size > MAX_OUTPUT_BYTES:
                    self.overflowed = True
                    self._on_overflow()
                    return
                self._chunks.append(chunk)
        except (OSError, ValueError):
            return
        finally:
            self._pipe.close()

    def join(self, seconds: float) -> None:
        self._thread.join(seconds)

    def text(self) -> str:
        return b"".join(self._chunks).decode("utf-8", errors="replace")


def _first_line(text: str) -> str:
    """The first non-blank line, fit to quote in a note ("" for none)."""
    if "\ufffd" in text or "\x00" in text:
        return "output is not text"
    for line in text.splitlines():
        if line.strip():
            return _clean(line)
    return ""


def _clean(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """Printable, single-spaced and short: safe to show and to match."""
    return " ".join(printable(text).split())[:limit]


def _ram_gib(probe: _Probe) -> float | None:
    """Memory the OS sees: /proc/meminfo MemTotal, else `sysctl -n hw.memsize` (macOS)."""
    meminfo = probe.read("/proc/meminfo")
    if meminfo is not None:
        found = re.search(r"^MemTotal:\s*(\d{1,15})\s*kB", meminfo, re.MULTILINE)
        if found and int(found.group(1)) > 0:
            return int(found.group(1)) * 1024 / GIB
        probe.note("/proc/meminfo: no MemTotal line")
        return None
    size = _parse_int(probe.run(["sysctl", "-n", "hw.memsize"]))
    return size / GIB if size else None


def _parse_int(text: str | None) -> int | None:
    if text is None or not re.fullmatch(r"\s*\d{1,20}\s*", text):
        return None
    return int(text)


def _gb(value: float) -> float:
    return round(value, 1)


# ---------------------------------------------------------------- entry point


def detect(
    catalog: Catalog,
    *,
    root: Path = Path("/"),
    env: Mapping[str, str] | None = None,
    timeout: float = 3.0,
    nvml: bool | None = None,
) -> Detected:
    """Read this machine and map it to a catalog entry (or a custom one). Never raises.

    `root` prefixes every file read; `env` supplies PATH (and the tools' environment);
    `nvml` (default: only when `root` is "/") tries NVML, which reads the real machine.
    """
    probe = _Probe(root=Path(root), env=dict(os.environ if env is None else env), timeout=timeout)
    use_nvml = probe.root == Path("/") if nvml is None else nvml
    steps: list[Callable[[_Probe, Catalog], Detected | None]] = [_from_nvidia_smi]
    if use_nvml:
        steps.append(_from_nvml)
    steps += [_from_apple, _from_strix_halo, _from_rocm_smi, _from_amd_sysfs]
    for step in steps:
        try:
            found = step(probe, catalog)
        except Exception as exc:  # one reader's surprise must not end `advisor detect`
            probe.note(f"{step.__name__.lstrip('_')}: skipped after {exc.__class__.__name__}")
            found = None
        if found is not None:
            return found
    return _cpu_only(probe)


def _result(
    probe: _Probe,
    platform: Platform,
    devices: list[Device],
    matched: _Match,
    ram_gb: float | None,
    units: int = 1,
) -> Detected:
    if matched.note:
        probe.note(matched.note)
    return Detected(
        platform=platform,
        devices=devices,
        ram_gb=None if ram_gb is None else _gb(ram_gb),
        hardware_id=matched.hardware_id,
        units=units,
        match=matched.match,
        custom=matched.custom,
        notes=list(probe.notes),
        evidence=list(dict.fromkeys(probe.evidence)),
    )


def _cpu_only(probe: _Probe) -> Detected:
    ram = _ram_gib(probe)
    seen = f"{_gb(ram):g} GB of RAM" if ram is not None else "RAM size not readable"
    probe.note(f"no GPU found: planning for the CPU and system memory ({seen})")
    return _result(probe, "cpu", [], _Match(None, "none", None, None), ram)


# ---------------------------------------------------------------- NVIDIA


def parse_nvidia_smi(text: str) -> list[tuple[str, float | None]]:
    """(name, GB) per GPU from `--query-gpu=name,memory.total --format=csv,noheader,nounits`.

    Memory is None where the driver reports none ("[N/A]" on a GB10's unified memory)."""
    rows: list[tuple[str, float | None]] = []
    for line in text.splitlines()[:MAX_UNITS]:
        name, sep, memory = line.rpartition(",")
        name = _clean(name)
        if not sep or not re.search(r"[A-Za-z]", name):
            continue
        mib = memory.strip()
        if re.fullmatch(r"\d{1,9}(\.\d+)?", mib) and 0 < float(mib) < 10_000_000:
            rows.append((name, float(mib) * 1024**2 / GIB))
        elif re.fullmatch(r"\[?(N/A|Not Supported|Unknown Error)\]?", mib, re.IGNORECASE):
            rows.append((name, None))
    return rows


def _from_nvidia_smi(probe: _Probe, catalog: Catalog) -> Detected | None:
    return _from_listing_tool(probe, catalog, NVIDIA_SMI, parse_nvidia_smi, "nvidia")


def _from_listing_tool(
    probe: _Probe,
    catalog: Catalog,
    argv: Sequence[str],
    parse: Callable[[str], list[tuple[str, float | None]]],
    platform: Literal["nvidia", "amd"],
) -> Detected | None:
    """A tool that lists GPUs (name, memory): run, parsed, mapped; None when it gives none."""
    text = probe.run(argv)
    if text is None:
        return None
    rows = parse(text)
    if not rows:
        probe.note(f"{argv[0]}: no GPU could be read ({_first_line(text) or 'empty'})")
        return None
    return _from_gpu_rows(probe, catalog, platform, rows, argv[0])


def _from_nvml(probe: _Probe, catalog: Catalog) -> Detected | None:
    try:
        nvml: Any = importlib.import_module("pynvml")
    except ImportError:
        return None
    probe.evidence.append("NVML (pynvml)")
    try:
        nvml.nvmlInit()
        try:
            rows = [
                _nvml_row(nvml, i) for i in range(min(int(nvml.nvmlDeviceGetCount()), MAX_UNITS))
            ]
        finally:
            nvml.nvmlShutdown()
    except Exception as exc:  # NVMLError and its many subclasses
        probe.note(f"NVML: {_clean(str(exc)) or exc.__class__.__name__}")
        return None
    return _from_gpu_rows(probe, catalog, "nvidia", rows, "NVML") if rows else None


def _nvml_row(nvml: Any, index: int) -> tuple[str, float | None]:
    handle = nvml.nvmlDeviceGetHandleByIndex(index)
    name = nvml.nvmlDeviceGetName(handle)
    name = _clean(name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name))
    try:
        total = float(nvml.nvmlDeviceGetMemoryInfo(handle).total) / GIB
    except Exception:  # a unified-memory GPU (GB10) reports none
        total = None
    return name, total


def _from_gpu_rows(
    probe: _Probe,
    catalog: Catalog,
    family: Literal["nvidia", "amd"],
    rows: list[tuple[str, float | None]],
    source: str,
) -> Detected:
    devices = _group(rows)
    main = max(devices, key=lambda d: (d.count * (d.memory_gb or 0), d.count))
    described = ", ".join(f"{d.count} x {d.name} ({_memory_text(d.memory_gb)})" for d in devices)
    probe.note(f"{source}: {described}")
    if len(devices) > 1:
        probe.note(f"different GPUs: advisor plans for one kind, the {main.count} x {main.name}")
    matched = _match_by_name(catalog, family, main.name, main.memory_gb)
    return _result(probe, family, devices, matched, _ram_gib(probe), min(main.count, MAX_UNITS))


def _group(rows: list[tuple[str, float | None]]) -> list[Device]:
    counts: dict[tuple[str, float | None], int] = {}
    for name, memory in rows:
        key = (name, None if memory is None else _gb(memory))
        counts[key] = counts.get(key, 0) + 1
    return [Device(name=n, memory_gb=m, count=c) for (n, m), c in counts.items()]


def _memory_text(memory_gb: float | None) -> str:
    return "memory not reported" if memory_gb is None else f"{memory_gb:g} GB"


# ---------------------------------------------------------------- names to catalog entries

VENDOR = re.compile(r"^(?:nvidia|amd)\s+", re.IGNORECASE)
BRAND = re.compile(r"^(?:geforce|radeon)\s+", re.IGNORECASE)
EDITION_WORDS = {"workstation", "edition", "generation", "hbm3", "hbm3e"}  # same part, longer name
OTHER_PART_WORDS = {"laptop", "mobile", "max-q", "notebook"}  # a different part under one name


def _match_by_name(
    catalog: Catalog, family: Literal["nvidia", "amd"], name: str, memory_gb: float | None
) -> _Match:
    found = _entry_for_name(catalog, family, name)
    if found is None:
        base = _nearest_by_memory(catalog, family, memory_gb)
        if base is None or memory_gb is None:
            return _Match(None, "none", None, f"{name} is not in the catalog")
        return _custom(name, family, memory_gb, base, f"{name} is not in the catalog")
    entry, how = found
    if memory_gb is not None and not same_memory(memory_gb, entry.memory_gb):
        why = (
            f"{name} reports {_gb(memory_gb):g} GB but the catalog's {entry.id} has "
            f"{entry.memory_gb:g} GB (a modified or different card?)"
        )
        return _custom(name, family, memory_gb, entry, why)
    unknown = (
        "" if memory_gb is not None else f"; memory not reported, {entry.memory_gb:g} GB assumed"
    )
    if how == "name":
        note = f"{name} is the catalog's {entry.id}{unknown}" if unknown else None
        return _Match(entry.id, "exact", None, note)
    return _Match(
        entry.id, "nearest", None, f"{name} read as the nearest entry, {entry.id}{unknown}"
    )


def _entry_for_name(
    catalog: Catalog, family: str, name: str
) -> tuple[Hardware, Literal["name", "partial", "fuzzy"]] | None:
    """The entry a device name denotes: by name or alias, then with trailing words dropped,
    then by fuzzy score among entries that share its model number."""
    if OTHER_PART_WORDS & set(name.lower().split()):
        return None
    without_vendor = VENDOR.sub("", name)
    variants = list(dict.fromkeys([name, without_vendor, BRAND.sub("", without_vendor)]))
    for candidate in variants:
        entry = catalog.hardware.find(candidate)
        if entry is not None and entry.family == family:
            return entry, "name"
    for variant in variants:
        words = variant.split()
        for keep in range(len(words) - 1, 0, -1):
            kept = " ".join(words[:keep])
            entry = catalog.hardware.find(kept) if re.search(r"\d", kept) else None
            if entry is not None and entry.family == family:
                dropped = {w.lower() for w in words[keep:]}
                return entry, "name" if dropped <= EDITION_WORDS else "partial"
    fuzzy = _fuzzy_entry(catalog, family, name)
    return (fuzzy, "fuzzy") if fuzzy is not None else None


def _fuzzy_entry(catalog: Catalog, family: str, name: str) -> Hardware | None:
    model = next(iter(re.findall(r"[a-z]*\d{3,}[a-z]*", name.lower())), None)
    if model is None:
        return None
    sharing = [
        h
        for h in catalog.hardware
        if h.family == family
        and any(model in re.split(r"[^a-z0-9]+", n.lower()) for n in (h.id, h.name, *h.aliases))
    ]
    if not sharing:
        return None
    from rapidfuzz import fuzz

    def tokens(text: str) -> str:
        return " ".join(re.split(r"[^a-z0-9]+", text.lower())).strip()

    def score(entry: Hardware) -> float:
        names = (entry.id, entry.name, *entry.aliases)
        return max(float(fuzz.token_sort_ratio(tokens(name), tokens(n))) for n in names)

    return max(sharing, key=score)


def same_memory(measured_gb: float, catalog_gb: float) -> bool:
    """Within what drivers reserve or ECC takes: 24564 MiB is a 24 GB card, 49140 MiB is not."""
    return abs(measured_gb - catalog_gb) <= max(0.75, 0.08 * catalog_gb)


def _nearest_by_memory(catalog: Catalog, family: str, memory_gb: float | None) -> Hardware | None:
    pool = [h for h in catalog.hardware if h.family == family]
    if not pool or memory_gb is None or memory_gb <= 0:
        return None
    return min(pool, key=lambda h: (h.kind == "box", abs(math.log(memory_gb / h.memory_gb))))


def _custom(
    name: str, family: Literal["apple", "nvidia", "amd"], memory_gb: float, base: Hardware, why: str
) -> _Match:
    note = (
        f"{why}: using the measured {_gb(memory_gb):g} GB and {base.bandwidth_gbs:g} GB/s "
        f"borrowed from the nearest catalog entry, {base.id}; the real bandwidth may differ"
    )
    entry = CustomEntry(
        name=f"{name}, {_gb(memory_gb):g} GB",
        family=family,
        memory_gb=_gb(memory_gb),
        bandwidth_gbs=base.bandwidth_gbs,
        bandwidth_from=base.id,
        note=note,
    )
    return _Match(None, "custom", entry, note)


# ---------------------------------------------------------------- Apple Silicon

APPLE_CHIP = re.compile(r"\b(?:Apple\s+)?(M\d{1,2})(?:\s+(Pro|Max|Ultra))?\b")
TIERS = {"": 0, "Pro": 1, "Max": 2, "Ultra": 3}


class _Chip(NamedTuple):
    generation: int
    tier: str

    @property
    def label(self) -> str:
        return f"M{self.generation}" + (f" {self.tier}" if self.tier else "")


def _chip_of(text: str, *, require_apple: bool) -> _Chip | None:
    found = APPLE_CHIP.search(text)
    if found is None or (require_apple and not re.search(r"\bApple\s+M\d", text)):
        return None
    return _Chip(int(found.group(1)[1:]), found.group(2) or "")


def _gpu_cores_of(entry: Hardware) -> int | None:
    found = re.search(r"(\d+)-core GPU", entry.name)
    return int(found.group(1)) if found else None


def parse_system_profiler_cores(text: str | None) -> int | None:
    """GPU cores from `system_profiler SPDisplaysDataType -json` ("sppci_cores": "80")."""
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    items = data.get("SPDisplaysDataType") if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else []:
        cores = item.get("sppci_cores") if isinstance(item, dict) else None
        if isinstance(cores, str | int) and re.fullmatch(r"\d{1,4}", str(cores)):
            return int(cores)
    return None


def _from_apple(probe: _Probe, catalog: Catalog) -> Detected | None:
    if probe.exists("/proc/cpuinfo"):  # Linux: its sysctl has no machdep or hw keys
        return None
    brand = probe.run(["sysctl", "-n", "machdep.cpu.brand_string"])
    if brand is None:
        return None
    chip = _chip_of(_clean(brand), require_apple=True)
    if chip is None:
        probe.note(f"sysctl: CPU is {_clean(brand)!r}, not Apple Silicon")
        return None
    memsize = _parse_int(probe.run(["sysctl", "-n", "hw.memsize"]))
    memory = memsize / GIB if memsize else None
    cores = parse_system_profiler_cores(
        probe.run(["system_profiler", "SPDisplaysDataType", "-json"])
    )
    cores_text = f"{cores}-core GPU" if cores else "GPU cores not read"
    probe.note(f"sysctl: Apple {chip.label}, {_memory_text(_opt_gb(memory))} unified; {cores_text}")
    device = Device(name=f"Apple {chip.label}", memory_gb=_opt_gb(memory), gpu_cores=cores)
    if memory is None:
        return _result(probe, "apple", [device], _Match(None, "none", None, None), None)
    return _result(probe, "apple", [device], _match_apple(catalog, chip, memory, cores), memory)


def _opt_gb(value: float | None) -> float | None:
    return None if value is None else _gb(value)


def _match_apple(catalog: Catalog, chip: _Chip, memory: float, cores: int | None) -> _Match:
    macs = [h for h in catalog.hardware if h.family == "apple"]
    same = [
        h
        for h in macs
        if _chip_of(h.name, require_apple=False) == chip and same_memory(memory, h.memory_gb)
    ]
    if cores is not None:
        exact = [h for h in same if _gpu_cores_of(h) == cores]
        if exact:
            return _Match(exact[0].id, "exact", None, None)
    elif same:
        pick = min(same, key=lambda h: _gpu_cores_of(h) or 0)
        how: MatchKind = "exact" if len(same) == 1 else "nearest"
        note = f"GPU cores not read: assuming the {_gpu_cores_of(pick)}-core GPU of {pick.id}"
        return _Match(pick.id, how, None, note)
    name = f"Apple {chip.label}" + (f" ({cores}-core GPU)" if cores else "")
    base = same[0] if same else min(macs, key=lambda h: _mac_distance(h, chip, memory, cores))
    return _custom(
        name, "apple", memory, base, f"{name} with {_gb(memory):g} GB is not in the catalog"
    )


def _mac_distance(
    entry: Hardware, chip: _Chip, memory: float, cores: int | None
) -> tuple[float, ...]:
    """Closeness for borrowing a bandwidth: same chip, then tier, then generation, then GPU
    cores (a binned chip can have a narrower memory bus), then memory."""
    other = _chip_of(entry.name, require_apple=False) or _Chip(0, "")
    entry_cores = _gpu_cores_of(entry)
    return (
        float(other != chip),
        abs(TIERS[other.tier] - TIERS[chip.tier]),
        abs(other.generation - chip.generation),
        abs(cores - entry_cores) if cores and entry_cores else 0,
        abs(math.log(memory / entry.memory_gb)),
    )


# ---------------------------------------------------------------- AMD


def _cpu_model(probe: _Probe) -> str | None:
    cpuinfo = probe.read("/proc/cpuinfo")
    found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo or "", re.MULTILINE)
    return _clean(found.group(1)) if found else None


def _from_strix_halo(probe: _Probe, catalog: Catalog) -> Detected | None:
    model = _cpu_model(probe)
    if model is None or not re.search(r"ryzen\s+ai\s+max", model, re.IGNORECASE):
        return None
    ram = _ram_gib(probe)
    if ram is None:
        probe.note(f"/proc/cpuinfo: {model}, but its memory could not be read")
        return None
    carve_out = max((memory for _, memory in _amdgpu_cards(probe)), default=0.0)
    total = ram + carve_out
    marketed = next((s for s in STRIX_HALO_SIZES if 0.85 * s <= total <= 1.02 * s), None)
    size = float(marketed) if marketed is not None else total
    reserved = f" + {_gb(carve_out):g} GB reserved for the GPU (sysfs)" if carve_out else ""
    probe.note(
        f"/proc/cpuinfo: {model}; memory {_gb(ram):g} GB (MemTotal){reserved}, "
        f"read as {size:g} GB unified"
    )
    device = Device(name=model, memory_gb=_gb(size))
    return _result(probe, "amd", [device], _match_strix_halo(catalog, model, size), ram)


def _match_strix_halo(catalog: Catalog, model: str, size: float) -> _Match:
    number = re.search(r"max\+?\s*(?:pro\s+)?(\d{3})", model, re.IGNORECASE)
    boxes = [h for h in catalog.hardware if h.family == "amd" and h.kind == "box"]
    same_chip = [h for h in boxes if number and re.search(rf"\b{number.group(1)}\b", h.name)]
    for entry in same_chip:
        if same_memory(size, entry.memory_gb):
            return _Match(entry.id, "exact", None, None)
    if not boxes:
        return _Match(None, "none", None, f"{model} is not in the catalog")
    base = min(same_chip or boxes, key=lambda h: abs(math.log(size / h.memory_gb)))
    return _custom(model, "amd", size, base, f"{model} with {size:g} GB is not in the catalog")


def parse_rocm_smi(text: str) -> list[tuple[str, float | None]]:
    """(name, GB) per card from `rocm-smi --showproductname --showmeminfo vram --json`."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    cards = {k: v for k, v in data.items() if re.fullmatch(r"card\d+", str(k))}
    if not cards and isinstance(data.get("system"), dict):  # some versions nest the cards
        cards = {k: v for k, v in data["system"].items() if re.fullmatch(r"card\d+", str(k))}
    rows: list[tuple[str, float | None]] = []
    for key in sorted(cards, key=lambda k: int(str(k)[4:]))[:MAX_UNITS]:
        fields = (
            {str(k).lower(): v for k, v in cards[key].items()}
            if isinstance(cards[key], dict)
            else {}
        )
        name = next((str(fields[k]) for k in ("card series", "card model") if fields.get(k)), "")
        vram = _parse_int(str(fields.get("vram total memory (b)", "")))
        if name:
            rows.append((_clean(name), vram / GIB if vram else None))
    return rows


def _from_rocm_smi(probe: _Probe, catalog: Catalog) -> Detected | None:
    return _from_listing_tool(probe, catalog, ROCM_SMI, parse_rocm_smi, "amd")


def _amdgpu_cards(probe: _Probe) -> list[tuple[str, float]]:
    """(PCI device id, VRAM GB) of each AMD (vendor 0x1002) GPU in /sys/class/drm."""
    cards: list[tuple[str, float]] = []
    for card in probe.glob("/sys/class/drm", r"card\d+"):
        vendor = probe.read(f"{card}/device/vendor")
        if vendor is None or vendor.strip().lower() != "0x1002":
            continue
        device = _clean(probe.read(f"{card}/device/device") or "unknown", 16).strip()
        vram = _parse_int(probe.read(f"{card}/device/mem_info_vram_total"))
        cards.append((device, vram / GIB if vram else 0.0))
    return cards


def _from_amd_sysfs(probe: _Probe, catalog: Catalog) -> Detected | None:
    cards = _amdgpu_cards(probe)
    discrete = [(d, m) for d, m in cards if m >= INTEGRATED_VRAM_GIB]
    if len(discrete) < len(cards):
        probe.note("sysfs: an integrated AMD GPU (small memory carve-out) is not counted")
    if not discrete:
        if not cards:
            probe.note("sysfs: no AMD GPU in /sys/class/drm")
        return None
    rows: list[tuple[str, float | None]] = [(f"AMD GPU {d}", m) for d, m in discrete]
    return _from_gpu_rows(probe, catalog, "amd", rows, "sysfs")


# ---------------------------------------------------------------- for estimates


def custom_hardware(detected: Detected, catalog: Catalog) -> Hardware | None:
    """A catalog-shaped entry for what was found: the matched entry, or for a custom device
    a copy of the entry its bandwidth came from with the measured memory (and no price)."""
    if detected.hardware_id is not None:
        return catalog.hardware.find(detected.hardware_id)
    custom = detected.custom
    if custom is None:
        return None
    base = catalog.hardware.get(custom.bandwidth_from)
    share = base.usable_gb / base.memory_gb
    share_max = base.usable_max_gb / base.memory_gb
    measured = "measured by advisor detect on this machine"
    data = base.model_dump() | {
        "id": "custom-" + re.sub(r"[^a-z0-9]+", "-", custom.name.lower()).strip("-")[:80],
        "name": f"{custom.name} (detected)",
        "short_name": None,
        "aliases": (),
        "line": None,
        "featured": False,
        "memory_gb": custom.memory_gb,
        "usable_gb": _gb(custom.memory_gb * share),
        "usable_max_gb": _gb(custom.memory_gb * share_max),
        "raise_limit": None,
        **dict.fromkeys(["price_usd", "price_cny", "price_date", "price_note", "availability"]),
        "notes": custom.note,
    }
    data["sources"] = {
        **base.sources,
        "memory_gb": measured,
        "usable_gb": f"derived: measured memory x {base.id}'s share ({share:.2f})",
        "usable_max_gb": f"derived: measured memory x {base.id}'s share ({share_max:.2f})",
        "bandwidth_gbs": f"borrowed from {base.id}: {base.source_of('bandwidth_gbs')}",
    }
    from advisor.catalog.entries import Hardware

    return Hardware.model_validate(data)
