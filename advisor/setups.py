"""The one setup resolver: (model, box, unit count, format asked, engine, split, link) in,
the runnable setups to evaluate out.

It decides, the same way for every face: which engines to try on a platform, which format each
engine runs for the one asked (its nearest equivalent when it does not run that one, said as a
caveat), which split and link a cluster uses, and the memory limit policy. It never raises for a
format a box's engines do not run; it raises `InvalidInput` only for what cannot be built at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from advisor.catalog import Catalog
from advisor.catalog.entries import Engine, Hardware, Link, Model, WeightFormat
from advisor.errors import InvalidInput
from advisor.estimate import Setup
from advisor.requests import LONG_PROMPT_TOKENS, EstimateRequest, Split, Workload, is_native

# Formats tried when the question names none, in order of preference before judging; 3-bit is a
# last resort, ranked below any 4-bit setup that fits.
USUAL_FORMATS = ("q4_k_m", "q8_0", "q3_k_m", "iq4_xs")
# a usual format chosen only where it earns a better verdict than the others at one speed class:
# 4 bits in less memory than Q4_K_M, where that is what fits
FALLBACK_FORMATS = ("iq4_xs",)
NATIVE = "native"


def default_engine(catalog: Catalog, hardware: Hardware) -> Engine:
    """The engine most people run on this hardware: its kind's (vLLM on datacenter GPUs),
    else its family's."""
    engines: list[Engine] = list(catalog.engines)
    for engine in engines:
        if hardware.kind in engine.default_for_kinds and engine.runs_on(hardware):
            return engine
    for engine in engines:
        if hardware.family in engine.default_for:
            return engine
    return next(e for e in engines if e.runs_on(hardware))


def engines_for(
    catalog: Catalog, hardware: Hardware, serving: bool = False, units: int = 1
) -> list[Engine]:
    """The platform's usual engine, plus llama.cpp on Apple (it keeps DeepSeek's MLA latent and
    runs GGUF), and vLLM on NVIDIA boxes (tensor parallel across boxes, FP8/FP4 formats) and on
    NVIDIA cards when `serving` (`weighs_serving`: continuous batching serves several users, and
    its prefill can be what shortens a long prompt's wait or meets one asked) or when there
    are several (tensor parallel reads every card's share at once, where llama.cpp's layer
    split reads one card at a time; for one user the measured speed is 0.7-1.25x the estimate
    on 2-4 RTX 3090s, 2 RTX 5090s and 2-8 RTX PRO 6000s below 100K of context,
    benchmarks/batched_deep.csv rows 7001-7022)."""
    engines = [default_engine(catalog, hardware)]
    if hardware.family == "apple" or hardware.kind == "datacenter":  # GGUF where vLLM won't fit
        engines.append(catalog.engines.get("llama.cpp"))
    several_cards = hardware.kind == "card" and units > 1
    if hardware.family == "nvidia" and (hardware.kind == "box" or serving or several_cards):
        engines.append(catalog.engines.get("vllm"))
    return list({engine.id: engine for engine in engines}.values())


def own_release(engine: Engine, model: Model) -> str | None:
    """The format of the model's own low-bit release (gpt-oss in MXFP4, Kimi K2 in INT4), when
    the engine runs it: what people download first."""
    if model.native_dtype in ("mxfp4", "int4") and model.native_dtype in engine.formats:
        return model.native_dtype
    return None


def usual_format(catalog: Catalog, engine: Engine, model: Model) -> WeightFormat:
    """What people usually run: a model's own low-bit release, else the engine's default."""
    if (release := own_release(engine, model)) is not None:
        return catalog.formats.get(release)
    if engine.usual_format == NATIVE:
        return catalog.formats.get(model.native_dtype)
    return catalog.formats.get(engine.usual_format)


def equivalent_format(
    catalog: Catalog, engine: Engine, wanted: WeightFormat
) -> WeightFormat | None:
    """`wanted` if the engine runs it, else the engine's own format of the same nominal bits
    (its usual kind first), else None."""
    if wanted.id in engine.formats:
        return wanted
    usual = catalog.formats.find(engine.usual_format)
    same_bits = [
        catalog.formats.get(f)
        for f in engine.formats
        if catalog.formats.get(f).nominal_bits == wanted.nominal_bits
    ]
    same_bits.sort(key=lambda f: (f.kind != (usual.kind if usual else f.kind), f.id))
    return same_bits[0] if same_bits else None


def _wanted(
    catalog: Catalog, engine: Engine, model: Model, wishes: Sequence[str] | None
) -> list[tuple[WeightFormat, str | None]]:
    """(format asked or usual, the name asked for) to try on `engine`."""
    if not wishes:
        usual = [usual_format(catalog, engine, model)]
        usual += [catalog.formats.get(f) for f in USUAL_FORMATS]
        native = catalog.formats.get(model.native_dtype)
        if native.nominal_bits <= 8:
            usual.append(native)
        return [(fmt, None) for fmt in usual]
    found: list[tuple[WeightFormat, str | None]] = []
    for wish in wishes:
        if is_native(wish):
            found.append((catalog.formats.get(model.native_dtype), NATIVE))
        else:
            fmt = catalog.formats.get(wish)
            found.append((fmt, fmt.id))
    return found


def formats_for(
    catalog: Catalog, engine: Engine, model: Model, wishes: Sequence[str] | None
) -> list[tuple[WeightFormat, str | None]]:
    """The formats `engine` runs for what was asked: (format, the format it stands in for, when
    it is an equivalent rather than the one asked)."""
    found: list[tuple[WeightFormat, str | None]] = []
    for wanted, asked in _wanted(catalog, engine, model, wishes):
        mapped = equivalent_format(catalog, engine, wanted)
        if mapped is None:
            continue
        stands_in = wanted.id if asked is not None and mapped.id != wanted.id else None
        if all(mapped.id != fmt.id for fmt, _ in found):
            found.append((mapped, stands_in))
    return found


def _tensor_link(hardware: Hardware, links: list[Link], pinned: bool) -> Link | None:
    """The link tensor parallel runs over: the first fit for it, or the one the user named."""
    fast = [link for link in links if link.tensor_parallel_ok]
    if fast:
        return fast[0]
    return links[0] if pinned and links else None


def layouts(
    catalog: Catalog,
    model: Model,
    hardware: Hardware,
    engine: Engine,
    units: int,
    split: Split | None = None,
    link: str | None = None,
) -> list[tuple[Split, Link]]:
    """(split, link) pairs `engine` can run `units` of `hardware` with: the usual link for a
    pipeline, the best link for tensor parallel. llama.cpp's tensor split is tried only when
    asked: it is experimental (PR #19378, 2026), measured at 0.77-1.30x its layer split
    (benchmarks/batched_deep.csv rows 5304-5329), where the bandwidth model gives 1.1-1.6x."""
    if units == 1:
        return [("none", catalog.links.get("none"))]
    links = [catalog.links.get(link)] if link else [catalog.links.get(i) for i in hardware.links]
    pairs: list[tuple[Split, Link]] = []
    if "pipeline" in engine.splits and links and split in (None, "none", "pipeline"):
        pairs.append(("pipeline", links[0]))
    # llama.cpp splits tensors only across GPUs in one host; between boxes it pipelines (RPC)
    across_boxes = hardware.kind == "box" and engine.id.startswith("llama.cpp")
    unasked_experiment = engine.id.startswith("llama.cpp") and split != "tensor"
    if (
        "tensor" in engine.splits
        and split in (None, "none", "tensor")
        and not (across_boxes or unasked_experiment)
    ):
        tensor_link = _tensor_link(hardware, links, pinned=split == "tensor")
        if tensor_link is not None and splits_heads(model, units):
            pairs.append(("tensor", tensor_link))
    return pairs


def splits_heads(model: Model, units: int) -> bool:
    """Whether tensor parallel over `units` can share out the attention: the query heads
    evenly, and the KV heads evenly or each copied to a whole number of units (vLLM's
    QKVParallelLinear divides them so; 8 KV heads over 3 cards fails)."""
    kv = model.kv_heads
    kv_even = kv % units == 0 if units <= kv else units % kv == 0
    return model.heads % units == 0 and kv_even


def check_cluster(catalog: Catalog, hardware: Hardware, units: int, link: str | None) -> None:
    if units > hardware.max_units:
        most = hardware.max_units
        raise InvalidInput(
            f"{hardware.name} clusters up to {most} units in practice (the most its links and "
            f"published builds support), not {units}; ask about {most} or fewer",
            f"{hardware.name} 实际最多组 {most} 台（它的互联和公开的方案只支持到这么多），"
            f"不是 {units} 台；请问 {most} 台以内的情况",
        )
    if units > 1 and not hardware.links:
        raise InvalidInput(
            f"{hardware.name} has no link to cluster over", f"{hardware.name} 没有可以组集群的互联"
        )
    if link is not None and units > 1:
        found = catalog.links.get(link)
        if found.id not in hardware.links:
            over = ", ".join(hardware.links)
            raise InvalidInput(
                f"{hardware.name} does not connect over {found.id}; "
                f"it connects over {over or 'nothing'}",
                f"{hardware.name} 不支持 {found.id} 互联；它支持的是 {over or '（无）'}",
            )


def default_context_for(catalog: Catalog, model_name: str, context_tokens: int) -> int:
    """A context window nobody asked for (the default or a setting), shortened to what the
    model supports: Llama 2 has 4k, and a question that named no context is still answered."""
    model = catalog.models.find(model_name)
    return min(context_tokens, model.max_context) if model else context_tokens


def check_work(model: Model, work: Workload) -> None:
    check_context(model, work.context_tokens, work.prompt_tokens, work.output_tokens)


def check_context(
    model: Model, context_tokens: int, prompt_tokens: int, output_tokens: int
) -> None:
    """InvalidInput when the context asked for is longer than the model's window."""
    if context_tokens <= model.context_limit:
        return
    limit, asked = f"{model.context_limit:,}", f"{context_tokens:,}"
    message = f"{model.name} supports at most {limit} tokens of context, not {asked}"
    zh = f"{model.name} 最多支持 {limit} token 的上下文，这里需要 {asked}"
    if prompt_tokens + output_tokens == context_tokens:
        prompt, output = f"{prompt_tokens:,}", f"{output_tokens:,}"
        message += f" (a {prompt}-token prompt and a {output}-token answer)"
        zh += f"（{prompt} token 的提示词加 {output} token 的回答）"
        longest = model.context_limit - output_tokens
        if longest > 0:  # "a 128k prompt" on a 128k model: say what does fit
            message += f"; the longest prompt that leaves room for the answer is {longest:,} tokens"
            zh += f"；给回答留出位置，提示词最长 {longest:,} token"
    raise InvalidInput(message, zh)


def _engines(
    catalog: Catalog,
    hardware: Hardware,
    engine: str | None,
    wishes: Sequence[str] | None,
    serving: bool,
    units: int,
) -> list[Engine]:
    """The engine asked for, else the platform's usual ones (`engines_for`) plus, for each
    format asked, the first engine on the platform that runs it as it is (FP8 on a card: vLLM)."""
    if engine is None:
        engines = engines_for(catalog, hardware, serving, units)
        for wish in wishes or ():
            if is_native(wish):
                continue
            runs_it = [
                e
                for e in catalog.engines
                if e.runs_on(hardware) and catalog.formats.get(wish).id in e.formats
            ]
            if runs_it and not any(e.id in (r.id for r in runs_it) for e in engines):
                engines.append(runs_it[0])
        return engines
    pinned = catalog.engines.get(engine)
    if not pinned.runs_on(hardware):
        raise InvalidInput(
            f"{pinned.id} does not run on {hardware.name} ({hardware.family}); "
            f"it runs on {', '.join(pinned.families)}"
        )
    return [pinned]


def candidates(
    catalog: Catalog,
    model: Model,
    hardware: Hardware,
    units: int = 1,
    *,
    formats: Sequence[str] | None = None,
    engine: str | None = None,
    split: Split | None = None,
    link: str | None = None,
    raise_limit: bool = False,
    serving: bool = False,
    as_named: bool = False,
) -> list[Setup]:
    """Every runnable setup for `units` of `hardware`: each engine worth trying (when `serving`,
    as `weighs_serving` decides, a serving engine too), each format it
    runs for what was asked, each split and link; with `as_named`, only the formats asked as
    themselves where any engine runs them so. Raises InvalidInput when there is none."""
    check_cluster(catalog, hardware, units, link)
    found: list[Setup] = []
    usual = {default_engine(catalog, hardware).id}
    if serving and hardware.kind == "card":
        usual.add("vllm")  # what a team serves a card with: not a departure to be discounted
    for chosen_engine in _engines(catalog, hardware, engine, formats, serving, units):
        for fmt, stands_in in formats_for(catalog, chosen_engine, model, formats):
            for layout, joined_by in layouts(
                catalog, model, hardware, chosen_engine, units, split, link
            ):
                found.append(
                    Setup(
                        model=model,
                        hardware=hardware,
                        fmt=fmt,
                        engine=chosen_engine,
                        units=units,
                        link=joined_by,
                        split=layout,
                        raise_limit=raise_limit,
                        format_chosen=not formats,
                        engine_chosen=engine is None,
                        usual_engine=chosen_engine.id in usual
                        or (units > 1 and joined_by.cluster_engine == chosen_engine.id),
                        asked_format=stands_in,
                    )
                )
    if not found:
        raise InvalidInput(_no_setup_reason(catalog, model, hardware, units, formats, split))
    return _as_named(found) if as_named and formats else found


def _as_named(found: list[Setup]) -> list[Setup]:
    """The setups that run the format asked as itself ("Q4_K_M GGUF" on llama.cpp, not vLLM's
    INT4 standing in for it), or all of them where none does (a GGUF on a datacenter GPU)."""
    itself = [setup for setup in found if setup.asked_format is None]
    return itself or found


def _no_setup_reason(
    catalog: Catalog,
    model: Model,
    hardware: Hardware,
    units: int,
    formats: Sequence[str] | None,
    split: Split | None,
) -> str:
    if units > 1 and split == "tensor":
        return (
            f"no engine runs {units} × {hardware.label} with tensor parallel for {model.name} "
            f"(its {model.heads} attention heads must divide by {units}, and its "
            f"{model.kv_heads} KV heads divide by {units} or {units} by them; llama.cpp splits "
            "tensors only across GPUs in one host)"
        )
    asked = ", ".join(formats or ()) or "its usual formats"
    return f"no engine runs {model.name} as {asked} on {hardware.label}"


def weighs_serving(work: Workload, wait_asked: bool = False) -> bool:
    """Whether a serving engine (vLLM on a card) is weighed beside the usual ones: for several
    users at once, for a long prompt (its prefill is much of the wait for the answer: one user
    pasting 16k tokens into Llama 3.3 70B on an RTX PRO 6000 had been quoted 15.3 s on llama.cpp
    where vLLM takes 8.9 s, which two users were then quoted), or for a first-token wait asked."""
    return work.concurrency > 1 or work.prompt_tokens >= LONG_PROMPT_TOKENS or wait_asked


def candidates_for(
    catalog: Catalog, request: EstimateRequest, wait_asked: bool = False
) -> list[Setup]:
    """The setups an estimate request leaves open (a pinned format, engine, split or link
    narrows them); `wait_asked`: a first-token wait is asked, which a serving engine may meet."""
    model = catalog.models.get(request.model)
    work = request.workload()
    check_work(model, work)
    return candidates(
        catalog,
        model,
        catalog.hardware.get(request.hardware),
        request.units,
        formats=(request.quant,) if request.quant else None,
        engine=request.engine,
        split=request.split,
        link=request.link,
        raise_limit=request.raise_memory_limit,
        serving=weighs_serving(work, wait_asked),
        as_named=request.quant_as_named,
    )


def exact_setup(catalog: Catalog, request: EstimateRequest) -> Setup:
    """The setup a measurement describes, taken as written: the named engine (else the
    platform's usual one) and format (else its usual one), no stand-ins. For benchmark rows."""
    model = catalog.models.get(request.model)
    hardware = catalog.hardware.get(request.hardware)
    engine = catalog.engines.get(request.engine) if request.engine else None
    engine = engine or default_engine(catalog, hardware)
    if not engine.runs_on(hardware):
        raise InvalidInput(f"{engine.id} does not run on {hardware.name} ({hardware.family})")
    fmt = (
        catalog.formats.get(request.quant)
        if request.quant
        else usual_format(catalog, engine, model)
    )
    if fmt.id not in engine.formats:
        raise InvalidInput(f"{engine.id} does not run {fmt.id} weights")
    check_cluster(catalog, hardware, request.units, request.link)
    check_work(model, request.workload())
    split: Split = "none"
    link = catalog.links.get("none")
    if request.units > 1:
        split = request.split if request.split not in (None, "none") else engine.splits[0]
        if split not in engine.splits:
            raise InvalidInput(f"{engine.id} cannot split a model by {split}")
        if split == "tensor" and hardware.kind == "box" and engine.id.startswith("llama.cpp"):
            raise InvalidInput(f"{engine.id} splits tensors only across GPUs in one host")
        if split == "tensor" and not splits_heads(model, request.units):
            raise InvalidInput(
                f"tensor parallel over {request.units} needs {model.heads} attention heads to "
                f"divide by {request.units} and {model.kv_heads} KV heads to share out evenly"
            )
        link = catalog.links.get(request.link or hardware.links[0])
    return Setup(
        model=model,
        hardware=hardware,
        fmt=fmt,
        engine=engine,
        units=request.units,
        link=link,
        split=split,
        raise_limit=request.raise_memory_limit,
        format_chosen=request.quant is None,
        engine_chosen=request.engine is None,
    )
