"""The memory a model needs before any box is weighed ("GLM 4.6 需要多少显存？"): its weights in
the formats people run it in, the KV cache for the context asked and the runtime's share, the
same figures every box's estimate adds up."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from advisor.catalog import Catalog
from advisor.estimate import GIB, sizes
from advisor.requests import Workload

SIZING_ENGINE = "llama.cpp"  # GGUF files, the sizes people download; its KV cache layout
SIZED_FORMATS = ("q8_0", "q4_k_m")  # beside the release's own: 8-bit and the usual 4-bit GGUF


class FormatNeed(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built when this kind of answer is given

    quant: str
    bits: float
    weights_gb: float
    kv_cache_gb: float
    overhead_gb: float
    total_gb: float


class MemoryNeed(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built when this kind of answer is given

    model: str
    model_name: str
    context_tokens: int
    concurrency: int
    kv_dtype: str
    engine: str
    formats: list[FormatNeed]  # heaviest first; none heavier than the release itself


def memory_needed(catalog: Catalog, model_id: str, work: Workload) -> MemoryNeed:
    """The model's memory in its own format, at 8 bits and at the usual 4 bits, for `work`'s
    context and users."""
    model = catalog.models.get(model_id)
    engine = catalog.engines.get(SIZING_ENGINE)
    native = catalog.formats.get(model.native_dtype)
    needs: list[FormatNeed] = []
    for fmt in [native, *(catalog.formats.get(f) for f in SIZED_FORMATS)]:
        sized = sizes(model, fmt, engine, work)  # the bytes every box's estimate adds up
        if needs and (fmt.bits >= native.bits or sized.weights >= needs[-1].weights_gb * GIB):
            continue  # no upcast of a release already at 8 or 4 bits, and nothing repeated
        total = sized.weights + sized.kv + sized.overhead_per_unit
        needs.append(
            FormatNeed(
                quant=fmt.id,
                bits=fmt.nominal_bits,
                weights_gb=sized.weights / GIB,
                kv_cache_gb=sized.kv / GIB,
                overhead_gb=sized.overhead_per_unit / GIB,
                total_gb=total / GIB,
            )
        )
    return MemoryNeed(
        model=model.id,
        model_name=model.name,
        context_tokens=work.context_tokens,
        concurrency=work.concurrency,
        kv_dtype=work.kv_dtype,
        engine=engine.name,
        formats=needs,
    )
