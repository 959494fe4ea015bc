"""The one chooser: of the setups the resolver offers for one box and unit count, which to
show. Every face's answer for a box (estimate, can-run, a side of a comparison, a line of a
recommendation) comes from here."""

from __future__ import annotations

from collections.abc import Iterable

from advisor.catalog.entries import Hardware
from advisor.context import Advisor
from advisor.errors import InvalidInput
from advisor.estimate import Band, Setup
from advisor.judge import (
    DEPARTURE_GAIN,
    MemoryKey,
    Option,
    is_fallback,
    is_own_release,
    judge,
    memory_key,
    memory_once,
    preferred_speed,
    quick_key,
    remember,
    roomy_speed,
    timing_once,
)
from advisor.measured import SHORT_CONTEXT, measured_decode
from advisor.requests import Constraints, EstimateRequest, RecommendQuery, Workload
from advisor.rules import VERDICTS, usable
from advisor.setups import candidates, candidates_for, weighs_serving

JUDGED_PER_BOX = 2  # judging is the costly step: only the setups that could win are judged


def best_of(
    advisor: Advisor, setups: Iterable[Setup], work: Workload, constraints: Constraints
) -> Option | None:
    """The best judged option among `setups` (all for one box and unit count): what fits and
    works first, then 4-bit or more, then the model's own release, then speed, where a stand-in
    for the format asked or an engine other than the platform's usual one must be clearly
    faster."""
    chosen = contenders(advisor, setups, work, constraints.max_ttft_s)
    return best_judged(advisor, chosen, work, constraints)


def contenders(
    advisor: Advisor, setups: Iterable[Setup], work: Workload, max_ttft_s: float | None = None
) -> list[Setup]:
    """The setups worth judging: the most promising that fit or, when none does, the nearest
    to fitting, to say what it lacks; those within a first-token wait asked (`max_ttft_s`)
    first. Only setups that could be among the most promising are timed: one whose memory
    alone ranks it below enough others cannot be."""
    sized = [(s, memory_once(advisor, s, work)) for s in setups]
    if not any(memory.fits_if_raised for _, memory in sized):
        nearest = max(sized, key=lambda pair: quick_key(pair[0], pair[1], None, work), default=None)
        return [nearest[0]] if nearest else []
    starts = _without_needless_fallbacks(
        [(memory_key(s, memory), s) for s, memory in sized if memory.fits_if_raised]
    )
    cutoff = _cutoff([start for start, _ in starts])
    keyed = sorted(
        (
            (
                quick_key(
                    s,
                    memory_once(advisor, s, work),
                    timing_once(advisor, s, work),
                    work,
                    max_ttft_s,
                ),
                s,
            )
            for start, s in starts
            if start >= cutoff
        ),
        key=lambda k: k[0],
        reverse=True,
    )
    return [setup for _, setup in keyed[:JUDGED_PER_BOX]]


def _without_needless_fallbacks(
    starts: list[tuple[MemoryKey, Setup]],
) -> list[tuple[MemoryKey, Setup]]:
    """Leave out a fallback format (IQ4_XS) on an engine where a usual 4-bit one fits and is
    not all but full: it is there for where that does not."""
    covered = {
        setup.engine.id
        for (_, four_bit, room_enough, usual), setup in starts
        if four_bit and room_enough and usual
    }
    return [(key, s) for key, s in starts if not (is_fallback(s) and s.engine.id in covered)]


def _cutoff(starts: list[MemoryKey]) -> MemoryKey:
    """The lowest memory key among the best `JUDGED_PER_BOX` setups: whatever ranks below it
    on memory alone ranks below all of them whatever its speed."""
    return sorted(starts, reverse=True)[:JUDGED_PER_BOX][-1]


def fastest_decode(advisor: Advisor, setups: Iterable[Setup], work: Workload) -> float:
    """The fastest per-sequence decode any of `setups` would be judged to have (0 for what does
    not fit, which has no speed): an option chosen among them is no faster."""
    speeds = (
        timing_once(advisor, s, work).decode_tok_s
        for s in setups
        if memory_once(advisor, s, work).fits_if_raised
    )
    return max(speeds, default=0.0)


def best_judged(
    advisor: Advisor, setups: Iterable[Setup], work: Workload, constraints: Constraints
) -> Option | None:
    """Judge each of `setups` and keep the one `best_of` prefers."""
    judged = [(s, judge(advisor, s, work, constraints)) for s in setups]
    if not judged:
        return None

    def preference(pair: tuple[Setup, Option]) -> tuple[float, ...]:
        setup, option = pair
        if option.decode_tok_s is None:  # does not fit: the nearest to fitting
            return (0.0, option.memory_usable_gb / option.memory_total_gb)
        verdict = VERDICTS.index(option.verdict)
        works = usable(option.verdict)
        four_bit = option.nominal_bits >= 4
        own = is_own_release(setup)
        # over a conversation, as the verdict judges it: an engine whose first reply is faster
        # can slow down more as the context fills
        speed = roomy_speed(
            preferred_speed(
                setup,
                option.decode_tok_s_conversation or option.decode_tok_s,
                option.ttft_s or 0.0,
                work,
            ),
            option.memory,
        )
        return (
            1.0,
            float(option.meets_bar),
            float(works),
            float(works and four_bit),  # among what works, 4-bit quality before a better verdict
            float(verdict),
            float(four_bit),
            float(not is_fallback(setup)),
            # the model's own release among what works; where nothing does, another format must
            # be clearly faster (gpt-oss-120b on vLLM for 10 users had switched to MXFP4 at 7.1
            # tok/s each from INT4 at 12.4 for 9, once neither was usable)
            float(works and own),
            speed if works or own else speed / DEPARTURE_GAIN,
        )

    return max(judged, key=preference)[1]


def estimate_request(
    advisor: Advisor, request: EstimateRequest, constraints: Constraints | None = None
) -> Option:
    """One model on one box or cluster: the best setup the request leaves open, judged (what
    `advisor estimate`, the estimate tool and a can-run question all answer)."""
    constraints = constraints or Constraints()
    work = request.workload()
    found = best_of(advisor, candidates_for(advisor.catalog, request), work, constraints)
    if waits_too_long(found, constraints):  # a serving engine's prompt rate may meet it
        found = best_of(advisor, candidates_for(advisor.catalog, request, True), work, constraints)
    assert found is not None  # candidates_for raises rather than return nothing
    return with_measured(found)


def with_measured(option: Option) -> Option:
    """The option with the published runs of exactly its setup, when the advisor ships some:
    what an answer about one setup quotes beside its estimate. The likely range reaches them:
    a range that leaves out what this very setup was measured at would claim too much (two
    Sparks running Qwen3 235B, estimated 25.3-35.0 tok/s, were measured at 17.0)."""
    if option.decode_tok_s is None or option.prompt_tokens > SHORT_CONTEXT:
        return option  # the runs were at a short context: no match for a long prompt's decode
    measured = measured_decode(
        option.hardware, option.units, option.model, option.quant, option.engine, option.concurrency
    )
    if measured is None:
        return option
    band = option.decode_band
    if band is not None:
        band = Band(min(band.low, measured.tok_s), max(band.high, measured.tok_s))
    return option.model_copy(update={"measured": measured, "decode_band": band})


def waits_too_long(option: Option | None, constraints: Constraints) -> bool:
    """Whether a first-token wait was asked and `option`, which fits, does not meet it: then the
    setups of a serving engine (vLLM on a card) are weighed too. Where the usual ones meet it,
    they are all that is weighed, as when no wait is asked."""
    if constraints.max_ttft_s is None:
        return False
    if option is None or option.ttft_s is None:  # nothing fits: no wait to meet
        return False
    return option.facts.ttft_wait_s > constraints.max_ttft_s


def option_on(
    advisor: Advisor,
    query: RecommendQuery,
    hardware: Hardware,
    units: int,
    must_beat: float | None = None,
) -> Option | None:
    """The best way to run the query's model on `units` of `hardware`, or None if no engine
    can build such a setup, or (given `must_beat`) none could decode faster than that per
    sequence, so none is judged. Found once per context."""
    work, constraints = _asked(advisor, query)
    key = (
        query.model,
        query.format_wish,
        query.quant_as_named,
        query.setup_wish,
        work,
        constraints,
        hardware.id,
        units,
        must_beat,
    )
    if key not in advisor.estimates:
        found = _option_on(advisor, query, hardware, units, work, constraints, must_beat)
        remember(advisor, key, found)
    option = advisor.estimates[key]
    assert option is None or isinstance(option, Option)
    return option


def candidates_for_query(
    advisor: Advisor,
    query: RecommendQuery,
    hardware: Hardware,
    units: int,
    wait_asked: bool = False,
) -> list[Setup]:
    """The setups for `units` of `hardware` that the query leaves open: its formats, and its
    engine, split and link (the last two only for a cluster); a serving engine too for a team
    or where the usual ones miss a first-token wait asked (`wait_asked`). Raises InvalidInput
    when none."""
    engine, split, link = query.setup_wish
    return candidates(
        advisor.catalog,
        advisor.catalog.models.get(query.model),
        hardware,
        units,
        formats=query.format_wish,
        engine=engine,
        split=split if units > 1 else None,
        link=link if units > 1 else None,
        serving=weighs_serving(_asked(advisor, query)[0], wait_asked),
        as_named=query.quant_as_named,
    )


def _asked(advisor: Advisor, query: RecommendQuery) -> tuple[Workload, Constraints]:
    """The query's work and constraints, made once per context: every box a recommendation
    weighs reads the same objects, which the memo's keys then match at once."""
    key = ("asked", query)
    found = advisor.estimates.get(key)  # one lookup: a new question's query is another object
    if found is None:
        found = remember(advisor, key, (query.workload(), query.constraints()))
    assert isinstance(found, tuple)
    work, constraints = found
    assert isinstance(work, Workload) and isinstance(constraints, Constraints)
    return work, constraints


def _option_on(
    advisor: Advisor,
    query: RecommendQuery,
    hardware: Hardware,
    units: int,
    work: Workload,
    constraints: Constraints,
    must_beat: float | None,
) -> Option | None:
    found = _best_on(advisor, query, hardware, units, work, constraints, must_beat, False)
    if waits_too_long(found, constraints):  # a serving engine's prompt rate may meet it
        found = _best_on(advisor, query, hardware, units, work, constraints, must_beat, True)
    return found


def _best_on(
    advisor: Advisor,
    query: RecommendQuery,
    hardware: Hardware,
    units: int,
    work: Workload,
    constraints: Constraints,
    must_beat: float | None,
    wait_asked: bool,
) -> Option | None:
    try:
        setups = candidates_for_query(advisor, query, hardware, units, wait_asked)
    except InvalidInput:
        return None
    chosen = contenders(advisor, setups, work, constraints.max_ttft_s)
    if must_beat is not None and fastest_decode(advisor, chosen, work) <= must_beat:
        return None
    return best_judged(advisor, chosen, work, constraints)
