"""`advisor detect` and "this machine" in a question, run as a user runs them: the real command
in a new process, with a stand-in `nvidia-smi` on PATH and a recorded /proc as the machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOTS = Path(__file__).parent / "data" / "detect" / "roots"


def _machine(tmp_path: Path, nvidia_smi: str | None, root: str = "no-gpu-32gb") -> dict[str, str]:
    tools = tmp_path / "bin"
    tools.mkdir(exist_ok=True)
    if nvidia_smi is not None:
        script = tools / "nvidia-smi"
        lines = "".join(f"printf '%s\\n' '{line}'\n" for line in nvidia_smi.splitlines())
        script.write_text("#!/bin/sh\n" + lines)  # builtins only: PATH holds just this folder
        script.chmod(0o755)
    return {**os.environ, "PATH": str(tools), "ADVISOR_DETECT_ROOT": str(ROOTS / root)}


def advisor(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args], capture_output=True, text=True, env=env
    )


@pytest.fixture(autouse=True)
def _posix_only() -> None:
    if os.name != "posix":
        pytest.skip("the stand-in nvidia-smi is a shell script")


def test_detect_names_the_rtx_4090_a_stand_in_nvidia_smi_reports(tmp_path: Path) -> None:
    env = _machine(tmp_path, "NVIDIA GeForce RTX 4090, 24564")
    out = advisor(env, "detect", "--json")
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert (found["hardware_id"], found["match"], found["units"]) == ("rtx-4090", "exact", 1)
    assert found["hardware_name"] == "NVIDIA GeForce RTX 4090 24 GB (card)"


def test_detect_without_a_gpu_reports_ram_and_no_gpu(tmp_path: Path) -> None:
    env = _machine(tmp_path, None)
    out = advisor(env, "detect", "--json")
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["platform"] == "cpu" and found["hardware_id"] is None
    assert found["ram_gb"] == pytest.approx(31.3, abs=0.5)
    assert any("no GPU" in note for note in found["notes"])
    text = advisor(env, "detect")
    assert "No GPU found on this machine" in text.stdout and "GB of RAM" in text.stdout


def test_the_biggest_model_on_this_machine_is_asked_of_the_detected_box(tmp_path: Path) -> None:
    env = _machine(tmp_path, "NVIDIA GeForce RTX 4090, 24564")
    out = advisor(env, "ask", "What's the biggest model I can run on this machine?", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["query"]["hardware"] == ["rtx-4090"] and result["query"]["intent"] == "capacity"
    assert "This machine:" in result["answer"] and "holds models up to" in result["answer"]


def test_my_computer_in_chinese_is_the_detected_pair_of_cards(tmp_path: Path) -> None:
    env = _machine(tmp_path, "NVIDIA GeForce RTX 3090, 24576\nNVIDIA GeForce RTX 3090, 24576")
    out = advisor(env, "ask", "我的电脑能跑 llama 3.3 70b 吗", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["query"]["hardware"] == ["rtx-3090"] and result["query"]["units"] == 2
    assert "**本机**：2 × " in result["answer"] and "tok/s" in result["answer"]


def test_a_card_the_catalog_lacks_is_planned_with_its_measured_memory(tmp_path: Path) -> None:
    env = _machine(tmp_path, "NVIDIA GeForce RTX 4090, 49140")  # a 48 GB modified card
    out = advisor(env, "ask", "can my machine run llama 3.3 70b?")
    assert out.returncode == 0, out.stderr
    assert "It is not in the catalog" in out.stdout and "48 GB measured" in out.stdout
    assert "rough estimates" in out.stdout and "tok/s" in out.stdout


def test_settings_can_pin_my_hardware(tmp_path: Path) -> None:
    env = _machine(tmp_path, "NVIDIA GeForce RTX 4090, 24564")
    config = Path(env["ADVISOR_CONFIG_DIR"])
    (config / "settings.json").write_text(json.dumps({"my_hardware": "dgx spark"}))
    out = advisor(env, "ask", "can my computer run llama 3.3 70b?", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["query"]["hardware"] == ["dgx-spark"]


def test_this_machine_without_a_gpu_says_so_instead_of_guessing(tmp_path: Path) -> None:
    env = _machine(tmp_path, None)
    out = advisor(env, "ask", "本机能跑 qwen3 32b 吗")
    assert out.returncode == 0, out.stderr
    assert "本机没有找到 GPU" in out.stdout and "tok/s" not in out.stdout


def test_upgrading_this_machine_starts_from_the_detected_box(tmp_path: Path) -> None:
    env = _machine(tmp_path, "NVIDIA GeForce RTX 4090, 24564")
    out = advisor(env, "ask", "Should I upgrade this machine for Qwen3 235B?", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["query"]["intent"] == "upgrade" and result["query"]["have"] == "rtx-4090"
    assert "You have RTX 4090" in result["answer"] and result["result"]["paths"]
    command = advisor(env, "upgrade", "--have", "this", "--model", "qwen3-235b-a22b", "--json")
    assert json.loads(command.stdout)["have"] == {"hardware": "rtx-4090", "units": 1}
