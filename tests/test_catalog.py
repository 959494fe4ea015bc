"""The catalog: every id other tools rely on resolves, every number has a source, and a broken
user file is rejected with the file, the entry and the field named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advisor.catalog import Catalog, load_catalog
from advisor.errors import CatalogFileError, UnknownName

from .conftest import REPO

# A copy of ../shared/catalog-ids.md, so the check runs in a plain clone; its first line says so.
SHARED_IDS_COPY = REPO / "tests" / "data" / "catalog-ids.md"
SHARED_IDS = REPO.parent / "shared" / "catalog-ids.md"

HARDWARE_IDS = [
    "mac-studio-m3-ultra-60c-96gb",
    "mac-studio-m3-ultra-60c-256gb",
    "mac-studio-m3-ultra-80c-96gb",
    "mac-studio-m3-ultra-80c-256gb",
    "mac-studio-m3-ultra-80c-512gb",
    "mac-studio-m4-max-128gb",
    "mac-studio-m4-max-36gb",
    "mac-mini-m4-pro-64gb",
    "mac-studio-m2-ultra-192gb",
    "mac-studio-m1-ultra-64gb",
    "mac-studio-m1-ultra-128gb",
    "m1-max-64gb",
    "m3-max-64gb",
    "dgx-spark",
    "ryzen-ai-max-395-128gb",
    "rtx-3080",
    "rtx-3090",
    "rtx-4080",
    "rtx-4090",
    "rtx-5090",
    "rtx-a6000",
    "rtx-6000-ada",
    "rtx-pro-6000",
    "l40s",
    "a100-pcie-80gb",
    "a100-sxm-80gb",
    "h100-pcie",
    "h100-sxm",
    "h200-sxm",
]
MODEL_IDS = [
    "deepseek-r1",
    "deepseek-v3",
    "kimi-k2",
    "qwen3-235b-a22b",
    "qwen3-30b-a3b",
    "qwen3-32b",
    "qwen3-8b",
    "qwen2.5-7b",
    "qwen2.5-14b",
    "qwen2.5-32b",
    "qwen2.5-72b",
    "llama-3.1-8b",
    "llama-3.3-70b",
    "llama-3.1-405b",
    "llama-3.2-3b",
    "llama-2-7b",
    "llama-4-scout",
    "gpt-oss-20b",
    "gpt-oss-120b",
    "glm-4.5-air",
    "gemma-3-4b",
    "gemma-3-27b",
    "mistral-small-3.1-24b",
    "mistral-large-123b",
    "phi-4-mini",
]
FORMAT_IDS = [
    "f16",
    "bf16",
    "fp8",
    "q8_0",
    "q6_k",
    "q5_k_m",
    "q4_k_m",
    "q4_0",
    "q3_k_m",
    "q2_k",
    "iq4_xs",
    "mxfp4",
    "nvfp4",
    "int4",
    "mlx-4bit",
    "mlx-6bit",
    "mlx-8bit",
]
ENGINE_IDS = [
    "llama.cpp",
    "llama.cpp-vulkan",
    "llama.cpp-rocm",
    "llama.cpp-rpc",
    "mlx",
    "ollama",
    "sglang",
    "vllm",
    "exo",
]


@pytest.mark.parametrize("hardware_id", HARDWARE_IDS)
def test_every_required_hardware_id_exists(catalog: Catalog, hardware_id: str) -> None:
    assert catalog.hardware.get(hardware_id).id == hardware_id


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_every_required_model_id_exists(catalog: Catalog, model_id: str) -> None:
    assert catalog.models.get(model_id).id == model_id


def test_every_required_format_and_engine_exists(catalog: Catalog) -> None:
    assert {f.id for f in catalog.formats} >= set(FORMAT_IDS)
    assert {e.id for e in catalog.engines} >= set(ENGINE_IDS)


def test_the_shared_id_list_is_covered(catalog: Catalog) -> None:
    text = SHARED_IDS_COPY.read_text(encoding="utf-8")
    hardware_table = text.split("## Models")[0]
    for cell in re.findall(r"^\| ([a-z0-9., -]+) \|", hardware_table, flags=re.M):
        for hardware_id in re.split(r",\s*", cell):
            if hardware_id and hardware_id != "id":
                assert catalog.hardware.find(hardware_id), hardware_id


@pytest.mark.skipif(not SHARED_IDS.is_file(), reason="shared/catalog-ids.md not beside the repo")
def test_the_copied_id_list_matches_the_shared_one() -> None:
    note, copy = SHARED_IDS_COPY.read_text(encoding="utf-8").split("\n", 1)
    assert note.startswith("<!--")
    assert copy == SHARED_IDS.read_text(encoding="utf-8")


def test_every_number_in_the_catalog_names_its_source(catalog: Catalog) -> None:
    # The validators enforce a source per number at load; this asserts the texts are real.
    for section in ("hardware", "models", "formats", "links"):
        for entry in catalog.section(section):
            if entry.id == "none":  # the single-unit link carries no numbers
                continue
            assert entry.sources, entry.id
            assert all(len(text.strip()) > 8 for text in entry.sources.values()), entry.id


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Llama 3.3 70B", "llama-3.3-70b"),
        ("满血 DeepSeek", "deepseek-r1"),
        ("ASUS Ascent GX10", "asus-ascent-gx10"),
        ("framework desktop", "ryzen-ai-max-395-128gb"),
    ],
)
def test_names_people_type_resolve(catalog: Catalog, typed: str, expected: str) -> None:
    section = catalog.models if catalog.models.find(typed) else catalog.hardware
    assert section.get(typed).id == expected


def test_a_typo_gets_a_did_you_mean(catalog: Catalog) -> None:
    with pytest.raises(UnknownName) as caught:
        catalog.models.get("deepsek-r1")
    assert "did you mean 'deepseek-r1'" in caught.value.message


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_file_adds_a_box(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
hardware:
  - id: my-box
    name: My box
    vendor: Me
    family: nvidia
    kind: box
    memory_gb: 64
    usable_gb: 60
    usable_max_gb: 60
    bandwidth_gbs: 500
    tflops: {fp16: 100}
    sources: {"*": "my own measurements"}
""",
    )
    catalog = load_catalog([path])
    assert catalog.hardware.get("my-box").bandwidth_gbs == 500
    assert catalog.hardware.get("dgx-spark")  # built-ins are still there


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "models:\n  - id: x\n    name: [unclosed\n",
            r"mine\.yaml: .*expected ',' or '\]'.* at line 4",
        ),
        ("gpus: []\n", r"mine\.yaml: unknown section 'gpus'"),
        (
            "hardware:\n  - id: bad-box\n    name: Bad\n    vendor: Me\n    family: nvidia\n"
            "    kind: box\n    memory_gb: -4\n    usable_gb: 1\n    usable_max_gb: 1\n"
            "    bandwidth_gbs: 1\n    tflops: {fp16: 1}\n    sources: {'*': x-source}\n",
            r"mine\.yaml, entry 'bad-box', field 'memory_gb': Input should be greater than 0",
        ),
        (
            "hardware:\n  - id: unsourced\n    name: U\n    vendor: Me\n    family: amd\n"
            "    kind: box\n    memory_gb: 4\n    usable_gb: 1\n    usable_max_gb: 1\n"
            "    bandwidth_gbs: 1\n    tflops: {fp16: 1}\n",
            r"entry 'unsourced'.*no source for memory_gb",
        ),
        (
            "links:\n  - id: my-fabric\n    name: Mine\n    gbps: 100\n    cluster_engine: vlm\n"
            "    sources: {'*': x-source}\n",
            r"entry 'my-fabric', field 'cluster_engine': unknown engine id 'vlm'",
        ),
    ],
)
def test_a_broken_user_file_is_rejected_by_file_entry_and_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(CatalogFileError, match=expected):
        load_catalog([path])
    assert path.read_text(encoding="utf-8") == text  # never modified


def test_the_catalog_covers_the_open_models_people_run_from_1b_to_1t(catalog: Catalog) -> None:
    sizes = [model.params_total_b for model in catalog.models]
    assert len(sizes) >= 80
    for low, high in (
        (0.5, 2),
        (2, 5),
        (5, 10),
        (10, 20),
        (20, 40),
        (40, 130),
        (130, 500),
        (500, 1100),
    ):
        assert any(low <= size < high for size in sizes), (low, high)


@pytest.mark.parametrize(
    ("name", "model_id"),
    [
        ("千问3 14b", "qwen3-14b"),
        ("深度求索 r1", "deepseek-r1"),
        ("智谱 glm-4.5", "glm-4.5"),
        ("月之暗面 kimi", "kimi-k2"),
        ("unsloth/Qwen3-32B-GGUF", "qwen3-32b"),
        ("bartowski/meta-llama_Llama-3.3-70B-Instruct-GGUF", "llama-3.3-70b"),
        ("mlx-community/Qwen3-30B-A3B-4bit", "qwen3-30b-a3b"),
        ("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", "qwen3-235b-a22b"),
        ("RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic", "llama-3.3-70b"),
    ],
)
def test_chinese_names_and_hub_release_names_resolve(
    catalog: Catalog, name: str, model_id: str
) -> None:
    found = catalog.models.find(name)
    assert found is not None and found.id == model_id


def test_a_release_name_of_an_unknown_model_stays_unknown(catalog: Catalog) -> None:
    assert catalog.models.find("someone/Zorblax-70B-GGUF") is None


def test_a_gguf_of_gpt_oss_keeps_its_mxfp4_experts() -> None:
    # every GGUF of gpt-oss-120b is ~63 GB: "Q8_0" was sized at 116 GB and "Q3_K_M" at 54.5,
    # which put a 3-bit build on two RTX 5090s with room it does not have
    from advisor.estimate import weight_bytes

    catalog = load_catalog()
    model = catalog.models.get("gpt-oss-120b")
    sizes = {q: weight_bytes(model, catalog.formats.get(q)) / 1e9 for q in ("q8_0", "q3_k_m")}
    assert sizes["q8_0"] == pytest.approx(63.4, abs=0.5)  # the published Q8_0 file
    assert 61.0 < sizes["q3_k_m"] < sizes["q8_0"]


def test_llama_cpp_tensor_split_goes_through_host_memory_only_on_geforce_over_pcie() -> None:
    from advisor.calibration import load_calibration
    from advisor.estimate import prefill_time
    from advisor.setups import candidates

    catalog, cal = load_catalog(), load_calibration()
    model = catalog.models.get("llama-3.3-70b")

    def comm_s(hardware: str) -> float:
        setup = next(
            s
            for s in candidates(catalog, model, catalog.hardware.get(hardware), 2, split="tensor")
            if s.split == "tensor" and s.engine.id == "llama.cpp" and s.link.id == "pcie"
        )
        return prefill_time(setup, cal, 2, 8192, 0).comm_s

    # a GeForce card copies through host memory; an RTX PRO 6000 goes peer to peer
    assert comm_s("rtx-3090") > 5 * comm_s("rtx-pro-6000")


def test_a_macs_raise_command_gives_the_gpu_the_memory_the_answers_quote(
    catalog: Catalog,
) -> None:
    # two 128 GB Macs said `iogpu.wired_limit_mb=120000` (117 GiB) beside 122880 for the
    # M5 Max 128GB, both quoted as 120 GB usable: the sysctl counts MiB
    commands = 0
    for box in catalog.hardware:
        said = re.search(r"wired_limit_mb=(\d+)", box.raise_limit or "")
        if said is None:
            continue
        commands += 1
        assert int(said.group(1)) == round(box.usable_max_gb * 1024), box.id
    assert commands >= 20
