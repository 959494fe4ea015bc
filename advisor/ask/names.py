"""Names as people type them in a flag or a tool argument ("m3-ultra-512", "Llama 3.3 70B"),
turned into catalog ids by the question parser's name finder; the parser is imported only when
the name is not an id or alias already."""

from __future__ import annotations

from advisor.catalog import Catalog


def hardware_named(catalog: Catalog, text: str) -> str:
    """A hardware id for `text`; the text unchanged when no single box matches, so the lookup
    says what it does not know, with a "did you mean"."""
    if catalog.hardware.find(text) is not None:
        return text
    from advisor.ask.parse import adjust_for_memory, find_names, normalize

    folded = normalize(text)
    spans = adjust_for_memory(catalog, folded, find_names(catalog, "hardware", folded))
    found = {entry for entry, _, _ in spans}
    return found.pop() if len(found) == 1 else text


def model_named(catalog: Catalog, text: str) -> str:
    """A model id for `text` when all of it is a known name ("Llama 3.3 70B", "qwen3:32b");
    else the text, so a typo gets the lookup's "did you mean"."""
    if catalog.models.find(text) is not None:
        return text
    from advisor.ask.parse import find_names, normalize

    folded = normalize(text)
    whole = [
        entry
        for entry, start, end in find_names(catalog, "models", folded)
        if start == 0 and end == len(folded)
    ]
    return whole[0] if whole else text
