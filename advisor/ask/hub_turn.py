"""A question about a model the catalog lacks, answered by reading it from the Hugging Face
Hub first, when the user allows the network (`--online`, or `online` in settings).

The repo id the question names is read; a plain name ("Zorblax 70B") is looked up with the
Hub's search and its most downloaded match is read. The entry is added to the user's catalog,
so the next question knows it too, and the answer says where it came from. Any Hub error is
said in the answer; the catalog is left as it was."""

from __future__ import annotations

from dataclasses import replace

from advisor.ask.parse import Clarification
from advisor.context import Advisor
from advisor.errors import AdvisorError, printable
from advisor.render.env import render
from advisor.requests import Language


def read_from_hub(advisor: Advisor, clarify: Clarification, lang: Language) -> tuple[Advisor, str]:
    """(the advisor with the model added, a note for the answer); on failure the advisor as it
    was and a note saying why."""
    from advisor.catalog import load_catalog
    from advisor.catalog.hub import import_from_hub, search_hub
    from advisor.catalog.importers import add_to_user_catalog

    asked = clarify.hub_repo or clarify.unknown or ""
    try:
        repo = clarify.hub_repo or search_hub(asked)
        if repo is None:
            return advisor, _note(lang, asked, found=False)
        read = import_from_hub(repo)
        entry = read.entry
        if not clarify.hub_repo:  # found by the Hub's search: the name asked resolves to it too
            entry = entry.model_copy(update={"aliases": (*entry.aliases, asked.lower())})
        added = add_to_user_catalog(entry)
    except AdvisorError as exc:
        return advisor, _note(lang, asked, error=exc.message)
    files = [*advisor.catalog.files, str(added.path)]
    catalog = load_catalog(list(dict.fromkeys(files)))
    note = _note(lang, asked, repo=printable(repo), entry=entry, path=str(added.path))
    return replace(advisor, catalog=catalog, estimates={}), note


def _note(lang: Language, asked: str, **what: object) -> str:
    told = {"found": True, "error": None, "repo": None, "entry": None, "path": None, **what}
    return render(lang, "hub_note.md.j2", asked=printable(asked), **told)
