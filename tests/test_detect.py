"""`advisor detect`: what this machine is, read from stand-in tools and a fake /proc and /sys.

Every test controls PATH (a folder of small shell scripts that print recorded outputs) and the
file-system root, so none depends on the machine it runs on.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
import time
from pathlib import Path

import pytest

from advisor.catalog import Catalog
from advisor.detect import Detected, custom_hardware, detect

DATA = Path(__file__).parent / "data" / "detect"
ROOTS = DATA / "roots"
EMPTY_ROOT_NAME = "empty-root"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="stand-ins are POSIX sh scripts")


class Machine:
    """A fake machine: a PATH folder of stand-in tools and a file-system root."""

    def __init__(self, tmp_path: Path, root: Path | None = None) -> None:
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        self.root = root or tmp_path / EMPTY_ROOT_NAME
        self.root.mkdir(exist_ok=True)

    def tool(self, name: str, body: str) -> None:
        script = self.bin / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)

    def prints(self, name: str, output: str | Path, exit_code: int = 0) -> None:
        """A tool that prints `output` (text, or a recorded file's contents) and exits."""
        text = output.read_text() if isinstance(output, Path) else output
        self.tool(name, f"printf '%s' {shlex.quote(text)}\nexit {exit_code}")

    def answers(self, name: str, by_args: dict[str, Path]) -> None:
        """A tool that prints a recorded file chosen by its arguments, as sysctl does."""
        cases = "".join(
            f"  {shlex.quote(args)}) printf '%s' {shlex.quote(path.read_text())} ;;\n"
            for args, path in by_args.items()
        )
        self.tool(name, f'case "$*" in\n{cases}  *) echo "{name}: unknown" >&2; exit 1 ;;\nesac')

    def detect(self, catalog: Catalog, timeout: float = 3.0) -> Detected:
        return detect(catalog, root=self.root, env={"PATH": str(self.bin)}, timeout=timeout)


def a_mac(machine: Machine, recorded: str) -> None:
    folder = DATA / "apple" / recorded
    machine.answers(
        "sysctl",
        {
            "-n machdep.cpu.brand_string": folder / "brand_string.txt",
            "-n hw.memsize": folder / "memsize.txt",
        },
    )
    machine.answers(
        "system_profiler", {"SPDisplaysDataType -json": folder / "system_profiler.json"}
    )


def said(found: Detected, words: str) -> bool:
    return any(words.lower() in note.lower() for note in found.notes)


# ---------------------------------------------------------------- NVIDIA


def test_an_rtx_4090_from_nvidia_smi_is_the_catalog_rtx_4090(
    tmp_path: Path, catalog: Catalog
) -> None:
    machine = Machine(tmp_path, ROOTS / "no-gpu-32gb")
    machine.prints("nvidia-smi", DATA / "nvidia-smi" / "rtx-4090.txt")
    found = machine.detect(catalog)
    assert (found.platform, found.hardware_id, found.match, found.units) == (
        "nvidia",
        "rtx-4090",
        "exact",
        1,
    )
    assert found.hardware_spec == "rtx-4090"
    assert found.devices[0].memory_gb == 24.0  # 24564 MiB, the marketed 24 GB
    assert found.ram_gb == pytest.approx(31.1, abs=0.1)  # the host's RAM, read as well
    assert any(e.startswith("nvidia-smi --query-gpu=name,memory.total") for e in found.evidence)
    assert json.loads(found.model_dump_json())["hardware_spec"] == "rtx-4090"


def test_two_rtx_4090s_are_two_units(tmp_path: Path, catalog: Catalog) -> None:
    machine = Machine(tmp_path)
    machine.prints("nvidia-smi", DATA / "nvidia-smi" / "2x-rtx-4090.txt")
    found = machine.detect(catalog)
    assert (found.hardware_id, found.units, found.match) == ("rtx-4090", 2, "exact")
    assert found.hardware_spec == "2x rtx-4090"  # as `ask` reads "2x rtx-4090"
    assert [(d.name, d.count) for d in found.devices] == [("NVIDIA GeForce RTX 4090", 2)]


def test_a_dgx_spark_reporting_no_memory_is_the_dgx_spark(tmp_path: Path, catalog: Catalog) -> None:
    machine = Machine(tmp_path, ROOTS / "dgx-spark")
    machine.prints("nvidia-smi", DATA / "nvidia-smi" / "gb10.txt")
    found = machine.detect(catalog)
    assert (found.hardware_id, found.match) == ("dgx-spark", "exact")
    assert found.devices[0].memory_gb is None
    assert said(found, "memory not reported, 128 GB assumed")
    assert found.ram_gb == pytest.approx(119.7, abs=0.1)


def test_a_48_gb_rtx_4090_is_not_claimed_to_be_the_24_gb_one(
    tmp_path: Path, catalog: Catalog
) -> None:
    machine = Machine(tmp_path)
    machine.prints("nvidia-smi", DATA / "nvidia-smi" / "rtx-4090-48gb.txt")
    found = machine.detect(catalog)
    assert found.match == "custom" and found.hardware_id is None and found.hardware_spec is None
    assert found.custom is not None
    assert (found.custom.memory_gb, found.custom.bandwidth_from) == (48.0, "rtx-4090")
    assert found.custom.bandwidth_gbs == catalog.hardware.get("rtx-4090").bandwidth_gbs
    assert said(found, "reports 48 GB but the catalog's rtx-4090 has 24 GB")
    hardware = custom_hardware(found, catalog)  # ready for an estimate
    assert hardware is not None
    assert (hardware.memory_gb, hardware.usable_gb, hardware.bandwidth_gbs) == (48, 48, 1008)
    assert hardware.price_usd is None and hardware.id.startswith("custom-")


def test_workstation_edition_names_map_to_their_entry(tmp_path: Path, catalog: Catalog) -> None:
    machine = Machine(tmp_path)
    machine.prints("nvidia-smi", DATA / "nvidia-smi" / "rtx-pro-6000.txt")
    found = machine.detect(catalog)
    assert (found.hardware_id, found.match) == ("rtx-pro-6000", "exact")


def test_mixed_cards_plan_for_the_larger_group_and_say_so(tmp_path: Path, catalog: Catalog) -> None:
    machine = Machine(tmp_path)
    machine.prints("nvidia-smi", DATA / "nvidia-smi" / "mixed-4090-3090.txt")
    found = machine.detect(catalog)
    assert (found.hardware_id, found.units) == ("rtx-4090", 2)
    assert {(d.name, d.count) for d in found.devices} == {
        ("NVIDIA GeForce RTX 4090", 2),
        ("NVIDIA GeForce RTX 3090", 1),
    }
    assert said(found, "different GPUs")


def test_a_failing_nvidia_smi_falls_through_to_ram_with_a_note(
    tmp_path: Path, catalog: Catalog
) -> None:
    machine = Machine(tmp_path, ROOTS / "no-gpu-32gb")
    machine.prints("nvidia-smi", DATA / "nvidia-smi" / "failed.txt", exit_code=9)
    found = machine.detect(catalog)
    assert (found.platform, found.match, found.hardware_id) == ("cpu", "none", None)
    assert said(found, "nvidia-smi: exited 9: NVIDIA-SMI has failed")
    assert said(found, "no GPU")


def test_nvml_is_read_when_installed(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in pynvml library, as nvidia-ml-py answers for one RTX 4090."""
    library = tmp_path / "lib"
    library.mkdir()
    (library / "pynvml.py").write_text(
        "class _Memory:\n    total = 24564 * 1024 * 1024\n"
        "def nvmlInit(): pass\ndef nvmlShutdown(): pass\n"
        "def nvmlDeviceGetCount(): return 1\ndef nvmlDeviceGetHandleByIndex(i): return i\n"
        "def nvmlDeviceGetName(h): return b'NVIDIA GeForce RTX 4090'\n"
        "def nvmlDeviceGetMemoryInfo(h): return _Memory()\n"
    )
    monkeypatch.syspath_prepend(str(library))
    monkeypatch.delitem(sys.modules, "pynvml", raising=False)
    machine = Machine(tmp_path)
    found = detect(catalog, root=machine.root, env={"PATH": str(machine.bin)}, nvml=True)
    assert (found.hardware_id, found.match) == ("rtx-4090", "exact")
    assert "NVML (pynvml)" in found.evidence


# ---------------------------------------------------------------- Apple


@pytest.mark.parametrize(
    ("recorded", "hardware_id"),
    [
        ("m3-ultra-80c-512gb", "mac-studio-m3-ultra-80c-512gb"),
        ("m4-max-40c-128gb", "mac-studio-m4-max-128gb"),
        ("m2-ultra-76c-192gb", "mac-studio-m2-ultra-192gb"),
    ],
)
def test_a_mac_is_named_by_chip_memory_and_gpu_cores(
    tmp_path: Path, catalog: Catalog, recorded: str, hardware_id: str
) -> None:
    machine = Machine(tmp_path)  # no /proc: a Mac
    a_mac(machine, recorded)
    found = machine.detect(catalog)
    assert (found.platform, found.hardware_id, found.match) == ("apple", hardware_id, "exact")
    entry = catalog.hardware.get(hardware_id)
    assert found.ram_gb == entry.memory_gb == found.devices[0].memory_gb
    assert f"{found.devices[0].gpu_cores}-core GPU" in entry.name
    assert "system_profiler SPDisplaysDataType -json" in found.evidence


def test_an_apple_chip_missing_from_the_catalog_is_a_custom_entry(
    tmp_path: Path, catalog: Catalog
) -> None:
    machine = Machine(tmp_path)
    a_mac(machine, "m4-10c-16gb")
    found = machine.detect(catalog)
    assert (found.platform, found.match, found.hardware_id) == ("apple", "custom", None)
    assert found.custom is not None
    assert found.custom.memory_gb == 16.0
    borrowed = catalog.hardware.get(found.custom.bandwidth_from)
    assert borrowed.family == "apple"
    assert found.custom.bandwidth_gbs == borrowed.bandwidth_gbs
    assert said(found, f"borrowed from the nearest catalog entry, {borrowed.id}")
    hardware = custom_hardware(found, catalog)
    assert hardware is not None and hardware.memory_gb == 16
    assert hardware.usable_gb < 16  # macOS keeps a share, as for the entry it copies


def test_a_mac_whose_gpu_cores_cannot_be_read_says_what_it_assumed(
    tmp_path: Path, catalog: Catalog
) -> None:
    machine = Machine(tmp_path)
    a_mac(machine, "m3-ultra-80c-512gb")
    machine.prints("system_profiler", "", exit_code=1)
    found = machine.detect(catalog)
    assert found.hardware_id == "mac-studio-m3-ultra-80c-512gb"  # only one 512 GB M3 Ultra
    assert said(found, "GPU cores not read")


def test_an_intel_mac_reports_its_ram_from_sysctl(tmp_path: Path, catalog: Catalog) -> None:
    machine = Machine(tmp_path)
    machine.tool(
        "sysctl",
        'case "$*" in\n'
        "  '-n machdep.cpu.brand_string') echo 'Intel(R) Core(TM) i9-9980HK CPU @ 2.40GHz' ;;\n"
        "  '-n hw.memsize') echo 34359738368 ;;\n"
        "esac",
    )
    found = machine.detect(catalog)
    assert (found.platform, found.match, found.ram_gb) == ("cpu", "none", 32.0)
    assert said(found, "not Apple Silicon")


# ---------------------------------------------------------------- AMD


def test_a_ryzen_ai_max_with_128_gb_is_the_strix_halo_128gb(
    tmp_path: Path, catalog: Catalog
) -> None:
    machine = Machine(tmp_path, ROOTS / "strix-halo-128gb")
    found = machine.detect(catalog)
    assert (found.platform, found.hardware_id, found.match) == (
        "amd",
        "ryzen-ai-max-395-128gb",
        "exact",
    )
    assert found.devices[0].memory_gb == 128
    assert found.ram_gb == pytest.approx(127.0, abs=0.1)  # MemTotal, below the marketed size
    assert said(found, "read as 128 GB unified")


def test_memory_reserved_for_the_strix_halo_gpu_is_counted(
    tmp_path: Path, catalog: Catalog
) -> None:
    """BIOS gave the GPU 96 GB: MemTotal shows ~31 GB, sysfs holds the rest."""
    machine = Machine(tmp_path, ROOTS / "strix-halo-96gb-reserved")
    machine.prints("rocm-smi", DATA / "rocm-smi" / "rx-7900-xtx.json")  # must not win
    found = machine.detect(catalog)
    assert (found.hardware_id, found.match) == ("ryzen-ai-max-395-128gb", "exact")
    assert said(found, "+ 96 GB reserved for the GPU (sysfs)")
    assert "/sys/class/drm/card1/device/mem_info_vram_total" in found.evidence


def test_a_radeon_card_from_rocm_smi_is_the_nearest_catalog_card(
    tmp_path: Path, catalog: Catalog
) -> None:
    machine = Machine(tmp_path, ROOTS / "ryzen-9-7950x-64gb")
    machine.prints("rocm-smi", DATA / "rocm-smi" / "rx-7900-xtx.json")
    found = machine.detect(catalog)
    # pci.ids names Navi 31 "Radeon RX 7900 XT/7900 XTX": the 24 GB one, but not said as exact
    assert (found.platform, found.hardware_id, found.match) == (
        "amd",
        "radeon-rx-7900-xtx",
        "nearest",
    )
    assert found.devices[0].memory_gb == 24.0  # 25753026560 B
    assert found.ram_gb == pytest.approx(62.0, abs=0.1)


def test_two_radeon_cards_are_two_units(tmp_path: Path, catalog: Catalog) -> None:
    machine = Machine(tmp_path, ROOTS / "ryzen-9-7950x-64gb")
    machine.prints("rocm-smi", DATA / "rocm-smi" / "2x-w7900.json")
    found = machine.detect(catalog)
    assert (found.units, found.devices[0].count, found.devices[0].memory_gb) == (2, 2, 45.0)
    # the W7900 is not in the catalog: measured memory, bandwidth borrowed from an AMD entry
    assert found.match == "custom" and found.custom is not None
    assert catalog.hardware.get(found.custom.bandwidth_from).family == "amd"
    assert said(found, "the real bandwidth may differ")


def test_without_rocm_smi_a_radeon_card_is_read_from_sysfs(
    tmp_path: Path, catalog: Catalog
) -> None:
    machine = Machine(tmp_path, ROOTS / "radeon-sysfs")
    found = machine.detect(catalog)
    assert (found.platform, found.match) == ("amd", "custom")
    assert [(d.name, d.memory_gb) for d in found.devices] == [("AMD GPU 0x744c", 24.0)]
    assert said(found, "integrated AMD GPU")  # the CPU's own 512 MB iGPU is left out


# ---------------------------------------------------------------- no GPU, and tools misbehaving


def test_a_machine_without_a_gpu_reports_its_ram(tmp_path: Path, catalog: Catalog) -> None:
    machine = Machine(tmp_path, ROOTS / "no-gpu-32gb")
    found = machine.detect(catalog)
    assert (found.platform, found.match, found.hardware_id, found.devices) == (
        "cpu",
        "none",
        None,
        [],
    )
    assert found.ram_gb is not None and 31 <= found.ram_gb <= 32
    assert said(found, "no GPU")
    assert "/proc/meminfo" in found.evidence


def test_an_empty_path_and_root_still_answer(tmp_path: Path, catalog: Catalog) -> None:
    found = detect(catalog, root=tmp_path, env={"PATH": ""})
    assert (found.platform, found.ram_gb) == ("cpu", None)
    assert said(found, "RAM size not readable")


def test_a_hanging_nvidia_smi_is_given_up_on(tmp_path: Path, catalog: Catalog) -> None:
    sleep = shutil.which("sleep")
    assert sleep is not None
    machine = Machine(tmp_path, ROOTS / "no-gpu-32gb")
    machine.tool("nvidia-smi", f"{sleep} 30\necho 'NVIDIA GeForce RTX 4090, 24564'")  # a child
    started = time.monotonic()
    found = machine.detect(catalog, timeout=0.5)
    assert time.monotonic() - started < 5
    assert found.platform == "cpu"
    assert said(found, "nvidia-smi: no answer within 0.5 s")


@pytest.mark.parametrize(
    "body",
    [
        r"printf '\377\376\000\033[2J\001garbage, \n\200'",  # binary junk
        "while :; do echo 'NVIDIA GeForce RTX 4090, 24564'; done",  # output without end
        "echo 'NVIDIA GeForce RTX 4090, -5'",  # a number that is not a size
        "echo ', 24564'",
    ],
)
def test_garbage_from_nvidia_smi_is_not_an_answer(
    tmp_path: Path, catalog: Catalog, body: str
) -> None:
    machine = Machine(tmp_path, ROOTS / "no-gpu-32gb")
    machine.tool("nvidia-smi", body)
    found = machine.detect(catalog)
    assert found.platform == "cpu"
    assert said(found, "nvidia-smi:")
    assert not said(found, "\ufffd")
    assert all(n.isprintable() for n in found.notes)  # no escape sequences reach a terminal


@pytest.mark.parametrize(
    "output",
    ["[1, 2, 3]", '{"card0": "not a card"}', '{"card0": {"Card series": 7}}', "not json", "{}"],
)
def test_unexpected_json_from_rocm_smi_falls_through(
    tmp_path: Path, catalog: Catalog, output: str
) -> None:
    machine = Machine(tmp_path, ROOTS / "ryzen-9-7950x-64gb")
    machine.prints("rocm-smi", output)
    found = machine.detect(catalog)
    assert found.platform in ("cpu", "amd")
    assert said(found, "rocm-smi")


@pytest.mark.parametrize(
    "profile",
    ['{"SPDisplaysDataType": "x"}', "[]", '{"SPDisplaysDataType": [{"sppci_cores": []}]}'],
)
def test_odd_system_profiler_output_leaves_the_cores_unknown(
    tmp_path: Path, catalog: Catalog, profile: str
) -> None:
    machine = Machine(tmp_path)
    a_mac(machine, "m4-max-40c-128gb")
    machine.prints("system_profiler", profile)
    found = machine.detect(catalog)
    assert found.hardware_id == "mac-studio-m4-max-128gb"
    assert found.devices[0].gpu_cores is None


def test_importing_detect_loads_neither_the_catalog_nor_rapidfuzz() -> None:
    import subprocess

    code = "import sys, advisor.detect; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert not loaded & {"advisor.catalog", "rapidfuzz", "yaml"}
