"""Properties every estimate must keep, checked over many generated requests."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from advisor.catalog import Catalog, load_catalog
from advisor.catalog.entries import Hardware
from advisor.estimate import Estimate, weight_bytes
from tests.helpers import physics

CATALOG = load_catalog()
MODELS = sorted(m.id for m in CATALOG.models)
HARDWARE = sorted(h.id for h in CATALOG.hardware)
GGUF_BY_SIZE = ["q2_k", "q3_k_m", "q4_0", "q4_k_m", "q5_k_m", "q6_k", "q8_0", "f16"]

requests = st.builds(
    dict,
    model=st.sampled_from(MODELS),
    hardware=st.sampled_from(HARDWARE),
    quant=st.sampled_from(GGUF_BY_SIZE),
    engine=st.just("llama.cpp"),
    context_tokens=st.integers(2048, 32768),
    prompt_tokens=st.integers(1, 2048),
    output_tokens=st.integers(1, 2048),
    concurrency=st.integers(1, 16),
)
relaxed = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _applicable(kwargs: dict[str, object]) -> bool:
    hardware = CATALOG.hardware.get(str(kwargs["hardware"]))
    model = CATALOG.models.get(str(kwargs["model"]))
    return hardware.family != "amd" and int(str(kwargs["context_tokens"])) <= model.max_context


def _run(kwargs: dict[str, object], catalog: Catalog = CATALOG) -> Estimate:
    return physics(catalog, **kwargs)


@relaxed
@given(requests)
def test_results_are_finite_positive_and_deterministic(kwargs: dict[str, object]) -> None:
    assume(_applicable(kwargs))
    first = _run(kwargs)
    for value in (first.decode_tok_s, first.prefill_tok_s, first.ttft_s, first.memory_total_gb):
        assert math.isfinite(value) and value > 0
    assert _run(kwargs) == first


@relaxed
@given(requests, st.floats(1.05, 4.0))
def test_more_bandwidth_never_slows_decode(kwargs: dict[str, object], factor: float) -> None:
    assume(_applicable(kwargs))
    base = _run(kwargs)
    hardware = CATALOG.hardware.get(str(kwargs["hardware"]))
    faster: Hardware = hardware.model_copy(
        update={"bandwidth_gbs": hardware.bandwidth_gbs * factor}
    )
    CATALOG.hardware.entries[hardware.id] = faster
    try:
        quicker = _run(kwargs)
    finally:
        CATALOG.hardware.entries[hardware.id] = hardware
    assert quicker.decode_tok_s >= base.decode_tok_s


@relaxed
@given(requests, st.integers(1, 60000))
def test_more_context_never_shrinks_memory(kwargs: dict[str, object], extra: int) -> None:
    assume(_applicable(kwargs))
    base = _run(kwargs)
    longer = dict(kwargs, context_tokens=int(str(kwargs["context_tokens"])) + extra)
    model = CATALOG.models.get(str(kwargs["model"]))
    assume(int(str(longer["context_tokens"])) <= model.max_context)
    assert _run(longer).memory_total_gb >= base.memory_total_gb


@given(st.sampled_from(MODELS))
def test_a_bigger_quant_never_shrinks_weights(model_id: str) -> None:
    model = CATALOG.models.get(model_id)
    sizes = [weight_bytes(model, CATALOG.formats.get(q)) for q in GGUF_BY_SIZE]
    assert sizes == sorted(sizes)


@relaxed
@given(requests, st.integers(2, 4))
def test_pipeline_units_never_raise_single_stream_decode(
    kwargs: dict[str, object], units: int
) -> None:
    assume(_applicable(kwargs))
    hardware = CATALOG.hardware.get(str(kwargs["hardware"]))
    assume(hardware.max_units >= units and hardware.links)
    single = _run(dict(kwargs, concurrency=1))
    split = _run(dict(kwargs, concurrency=1, units=units, split="pipeline"))
    assert split.decode_tok_s <= single.decode_tok_s * 1.0001
