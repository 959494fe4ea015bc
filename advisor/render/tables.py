"""Plain-text tables for the scriptable subcommands (estimate, validate, catalog)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from advisor.catalog import Catalog
from advisor.judge import Option
from advisor.measured import AGREES, gap
from advisor.prices import price_basis, unit_price
from advisor.render.formats import a_tokens, duration, figure, gigabytes_of, money

if TYPE_CHECKING:
    from advisor.validate import ValidationReport


def estimate_text(catalog: Catalog, o: Option) -> str:
    model = catalog.models.get(o.model)
    hardware = catalog.hardware.get(o.hardware)
    m = o.memory
    boxes = hardware.name if o.units == 1 else f"{o.units} x {hardware.name} ({o.split}, {o.link})"
    fit = (
        "yes"
        if m.fits
        else ("only after raising the GPU memory limit" if m.fits_if_raised else "no")
    )
    lines = [
        f"{model.name} on {boxes}",
        f"  format {o.quant}, engine {o.engine}" + ("" if o.calibrated else "  [uncalibrated]"),
        "",
        f"  fits           {fit}: {gigabytes_of(m.total_gb, m.usable_gb)} GB needed of "
        f"{figure(m.usable_gb)} GB usable"
        f" (weights {figure(m.weights_gb)}, KV cache {figure(m.kv_cache_gb)},"
        f" runtime {figure(m.overhead_gb)})",
    ]
    lines += (
        _speed_lines(o)
        if o.decode_tok_s is not None
        else ["  speed          none quoted: it does not fit as asked"]
    )
    if o.price:
        value = f", {o.tok_s_per_1000:.2f} tok/s per 1,000 {o.currency}" if o.tok_s_per_1000 else ""
        split = o.price_split
        when = f"{split.basis} price as of {split.date}, " if split and split.date else ""
        lines.append(
            f"  price          {money(o.price, o.currency)}{value} ({when}{o.availability})"
        )
    if o.running is not None:
        idle = f", {o.running.idle_w:,.0f} W idle" if o.running.idle_w else ""
        per_million = (
            f", {money(o.cost_per_million_tokens, o.currency)} per million tokens"
            if o.cost_per_million_tokens
            else ""
        )
        lines.append(
            f"  running        {o.running.power_w:,.0f} W under load{idle};"
            f" {money(o.running.energy_cost_year, o.currency)} a year{per_million}"
        )
    lines += ["", f"  verdict        {o.verdict}"]
    lines += [
        f"    {rule.id}: " + ", ".join(f"{k}={_fact(v)}" for k, v in rule.figures.items())
        for rule in o.findings
    ]
    lines += ["", "  assumptions (all figures are estimates):"]
    lines += [f"    {key}: {value}" for key, value in o.assumptions.items()]
    return "\n".join(lines)


# what each shipped bottleneck finding says limits decode, as the answers' reasons say it
_DECODE_LIMITS = {
    "bandwidth-bound": "bandwidth-bound",
    "fixed-cost-bound-decode": "bound by fixed per-token work, not bandwidth",
    "others-prompts-bound": "bound by the other users' prompts",
    "compute-bound-decode": "compute-bound",
    "interconnect-bound": "interconnect-bound",
    "untuned-kernels": "bound by untuned kernels",
}


def decode_limit(o: Option) -> str:
    """What limits decode, in the words of the bottleneck the rules found (reading the weights
    is a quarter of a small MoE's step: 'bandwidth-bound' had contradicted the answer's
    reasons); the estimate's own bound where no shipped finding says."""
    for finding in o.findings:
        if finding.kind == "bottleneck" and finding.id in _DECODE_LIMITS:
            return _DECODE_LIMITS[finding.id]
    return f"{o.decode_bound}-bound"


def _speed_lines(o: Option) -> list[str]:
    decode, prefill = o.decode_band, o.prefill_band
    lines = [
        f"  decode         {figure(o.decode_tok_s)} tok/s per sequence (likely"
        f" {figure(decode.low if decode else None)}-{figure(decode.high if decode else None)}),"
        f" {decode_limit(o)}",
    ]
    if o.concurrency > 1:
        aggregate = figure(o.decode_tok_s_aggregate)
        lines.append(f"  aggregate      {aggregate} tok/s over {o.concurrency} sequences")
    if o.measured is not None and o.decode_tok_s:
        runs = "1 published run" if o.measured.rows == 1 else f"{o.measured.rows} published runs"
        apart = gap(o.decode_tok_s, o.measured)
        side = "above" if apart > 0 else "below"
        said = f"the estimate is {abs(apart):.0%} {side} it" if apart else f"within {AGREES:.0%}"
        lines.append(
            f"  measured       {figure(o.measured.tok_s)} tok/s per sequence in {runs} of this"
            f" setup ({', '.join(o.measured.sources)}); {said}"
        )
    return [
        *lines,
        f"  at full context {figure(o.decode_tok_s_full_context)} tok/s"
        f" ({o.context_tokens:,} tokens)",
        f"  conversation   {figure(o.decode_tok_s_conversation)} tok/s averaged from the"
        " prompt to the full context (the verdict judges this)",
        f"  prefill        {figure(o.prefill_tok_s)} tok/s (likely"
        f" {figure(prefill.low if prefill else None)}-{figure(prefill.high if prefill else None)}),"
        f" {o.prefill_bound}-bound",
        f"  first token    {duration(o.ttft_s)} for {a_tokens(o.prompt_tokens)}-token prompt",
        f"  {o.output_tokens:,} tokens    {duration(o.generation_s)}",
    ]


def _fact(value: object) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def validation_text(report: ValidationReport) -> str:
    header = (
        f"{'id':>5}  {'hardware':30} {'model':18} {'quant':9} {'engine':16}"
        f" {'decode meas/pred':>18} {'err':>6}  {'prefill meas/pred':>20} {'err':>6}"
    )
    lines = [header, "-" * len(header)]
    for r in report.rows:
        decode = (
            f"{r.decode_measured:8.1f}/{r.decode_predicted:<8.1f}"
            if r.decode_measured and r.decode_predicted
            else " " * 17
        )
        prefill = (
            f"{r.prefill_measured:9.0f}/{r.prefill_predicted:<9.0f}"
            if r.prefill_measured and r.prefill_predicted
            else " " * 19
        )
        d_err = r.error("decode")
        p_err = r.error("prefill")
        hw = r.hardware if r.units == 1 else f"{r.units}x {r.hardware} {r.split}"
        quant = r.quant + ("*" if r.quant_assumed else "")
        lines.append(
            f"{r.id:>5}  {hw[:30]:30} {r.model[:18]:18} {quant:9} {r.engine[:16]:16}"
            f" {decode:>18} {_pct(d_err):>6}  {prefill:>20} {_pct(p_err):>6}"
        )
    lines.append("")
    lines.append("* quant not stated in the row: the engine's usual format was assumed")
    if report.skipped:
        lines.append("")
        lines.append("skipped:")
        lines += [f"  {s.id}: {s.reason}" for s in report.skipped]
    lines.append("")
    lines.append("absolute percentage error      rows   median      p90    worst")
    for group, metrics in report.summary.items():
        for metric, s in metrics.items():
            if s.rows:
                lines.append(
                    f"  {group:8} {metric:8}           {s.rows:4}   {_pct(s.median_ape):>6}"
                    f"   {_pct(s.p90_ape):>6}   {_pct(s.worst_ape):>6} (row {s.worst_id})"
                )
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def catalog_json(catalog: Catalog, section: str) -> dict[str, Any]:
    names = ["hardware", "models", "formats", "engines", "links"] if section == "all" else [section]
    return {
        name: [entry.model_dump(mode="json") for entry in catalog.section(name)] for name in names
    }


def catalog_text(catalog: Catalog, section: str) -> str:
    blocks = []
    if section in ("all", "hardware"):
        rows = ["hardware:"]
        width = max((len(hw.id) for hw in catalog.hardware), default=0)
        for hw in catalog.hardware:
            now, yuan = unit_price(hw, "USD"), unit_price(hw, "CNY")
            price = (
                f"${now:,.0f} {price_basis(hw, 'USD')}"
                if now
                else f"¥{yuan:,.0f} {price_basis(hw, 'CNY')}"  # a China-market card, priced in yuan
                if yuan and hw.price_usd is None and hw.street_price_usd is None
                else "no current price"
            )
            rows.append(
                f"  {hw.id:{width}} {hw.memory_gb:>5g} GB  {hw.bandwidth_gbs:>6g} GB/s  {price:16}"
                f" {hw.availability:12} {hw.name}"
            )
        blocks.append("\n".join(rows))
    if section in ("all", "models"):
        rows = ["models:"]
        width = max((len(m.id) for m in catalog.models), default=0)
        for m in catalog.models:
            size = (
                f"{m.params_total_b:g}B/{m.params_active_b:g}B active"
                if m.is_moe
                else f"{m.params_total_b:g}B dense"
            )
            rows.append(
                f"  {m.id:{width}} {size:24} {m.attention:8} native {m.native_dtype:6} {m.name}"
            )
        blocks.append("\n".join(rows))
    if section in ("all", "formats"):
        rows = ["weight formats (quants):"]
        for f in catalog.formats:
            scope = " (experts only)" if f.applies_to == "experts" else ""
            rows.append(f"  {f.id:10} {f.bits:>5g} bits/weight{scope:16} {f.name}")
        blocks.append("\n".join(rows))
    if section in ("all", "engines"):
        rows = ["engines:"]
        for e in catalog.engines:
            rows.append(f"  {e.id:18} {', '.join(e.families):22} {e.name}")
        blocks.append("\n".join(rows))
    if section in ("all", "links"):
        rows = ["links:"]
        for link in catalog.links:
            gbps = f"{link.gbps:g} Gb/s" if link.gbps else ""
            rows.append(f"  {link.id:10} {gbps:12} {link.name}")
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks)
