"""Models from the Hugging Face Hub, read with huggingface_hub through the same importers as a
local file: a repo's config.json, or the header of one of its GGUF files.

huggingface_hub honours HF_ENDPOINT, HF_HOME, HF_TOKEN and HF_HUB_OFFLINE, and falls back to
its cache when the network is down, so a model read once imports offline. A GGUF header is read
with HTTP range requests, growing the range until the header is whole; the weights are never
downloaded. Nothing here writes the user's catalog: that stays with `add_to_user_catalog`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from advisor.catalog.entries import Model
from advisor.catalog.file_values import slug
from advisor.errors import AdvisorError, CatalogFileError, from_validation, printable

if TYPE_CHECKING:
    from huggingface_hub import ModelInfo

_REPO_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}")
_SHARD = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", flags=re.IGNORECASE)
_HEADER_RANGES = (4 << 20, 32 << 20, 128 << 20)  # bytes: a 150k-token vocabulary needs ~10 MB
_PARAMS_TOLERANCE = 0.05  # derived vs published parameter count
TIMEOUT = 10.0  # seconds per request
SEARCH_RESULTS = 5


class HubError(AdvisorError):
    """The Hub could not give a usable model: no network, gated, not found, no usable file."""


def is_repo_id(text: str) -> bool:
    """Whether `text` reads as a Hub repo id (ORG/NAME) rather than a file name or a name."""
    text = text.strip()
    return (
        bool(_REPO_ID.fullmatch(text))
        and ".." not in text
        and not text.lower().endswith((".json", ".gguf"))
    )


@dataclass
class HubImport:
    """A model read from the Hub, with what the reader checked and assumed."""

    entry: Model
    repo_id: str
    revision: str | None
    file: str
    notes: list[str] = field(default_factory=list)


def import_from_hub(
    repo_id: str,
    *,
    revision: str | None = None,
    filename: str | None = None,
    model_id: str | None = None,
    name: str | None = None,
) -> HubImport:
    """Read `repo_id` (at `revision`) into a validated Model entry.

    config.json is preferred; a repo without one is read from the GGUF file `filename`, or its
    only GGUF (all shards of a split file). Raises HubError with a one-line reason."""
    repo_id = repo_id.strip()
    if not is_repo_id(repo_id):
        raise HubError(f"'{printable(repo_id)}' is not a Hub repo id; give it as ORG/NAME")
    with hub_errors(repo_id, revision):
        info, reachable = _model_info(repo_id, revision)
        files = [s.rfilename for s in info.siblings or []] if info else []
        commit = (info.sha if info else None) or revision
        use_gguf = filename is not None or (info is not None and "config.json" not in files)
        if use_gguf:
            data, shown_file = _gguf_data(repo_id, revision, files, filename)
        else:  # by the name asked for, so the cache can answer it again offline
            data, shown_file = _config_data(repo_id, revision, reachable), "config.json"
    notes = _params_check(data, info)
    data = _with_hub_source(data, repo_id, commit, shown_file)
    repo_name = repo_id.split("/", 1)[1]
    if use_gguf:  # "Qwen3-32B-GGUF" holds Qwen3-32B
        repo_name = re.sub(r"[-_.]gguf$", "", repo_name, flags=re.IGNORECASE) or repo_name
    data["id"] = slug(model_id or repo_name)
    data["name"] = name or repo_name
    data.setdefault("aliases", [repo_id.lower()])
    try:
        entry = Model.model_validate(data)
    except ValidationError as exc:
        raise from_validation(f"{repo_id}/{shown_file}", exc, data.get("id")) from None
    return HubImport(entry, repo_id, commit, shown_file, notes)


# --- reading -------------------------------------------------------------------------------


def _model_info(repo_id: str, revision: str | None) -> tuple[ModelInfo | None, bool]:
    """(the repo's model info: files, commit, published parameter count; whether the Hub
    answered). Offline or unreachable, (None, False): only the cache can answer then."""
    from huggingface_hub import HfApi, constants

    if constants.HF_HUB_OFFLINE:
        return None, False
    from huggingface_hub.errors import HfHubHTTPError

    try:
        return HfApi().model_info(repo_id, revision=revision, timeout=TIMEOUT), True
    except HfHubHTTPError:
        raise  # the Hub answered: not found, gated, ... (an OSError too, so caught first)
    except _network_errors():
        return None, False


def _config_data(repo_id: str, revision: str | None, reachable: bool) -> dict[str, Any]:
    from huggingface_hub import hf_hub_download

    from advisor.catalog.hf_config import _from_config

    # unreachable: straight to the cache, rather than huggingface_hub's retries (~25 s)
    path = hf_hub_download(
        repo_id,
        "config.json",
        revision=revision,
        etag_timeout=TIMEOUT,
        local_files_only=not reachable,
    )
    return _from_config(Path(str(path)))


def _gguf_data(
    repo_id: str, revision: str | None, files: list[str], filename: str | None
) -> tuple[dict[str, Any], str]:
    """A model from one GGUF file's header (all shards of a split file). Headers read once are
    kept in advisor's cache, so the same file imports again offline."""
    from advisor.catalog.gguf_header import _from_gguf

    ggufs = sorted(f for f in files if f.lower().endswith(".gguf"))
    chosen = filename or _only_gguf(repo_id, ggufs)
    if files and chosen not in files:
        raise HubError(
            f"{repo_id} has no file '{printable(chosen)}'"
            + (f"; its GGUF files are: {_listed(ggufs)}" if ggufs else "")
        )
    folder = _header_cache(repo_id, revision)
    paths = [
        _gguf_header_file(repo_id, revision, shard, folder, online=bool(files))
        for shard in _shards_of(chosen)
    ]
    return _from_gguf(paths[0], more_shards=paths[1:]), chosen


def _header_cache(repo_id: str, revision: str | None) -> Path:
    from advisor.paths import user_cache_dir

    # a revision is the user's text: one safe folder name, never a path ("../..")
    folder = re.sub(r"[^A-Za-z0-9_-]", "_", revision or "main")
    return user_cache_dir() / "gguf-headers" / repo_id / folder


def _only_gguf(repo_id: str, ggufs: list[str]) -> str:
    firsts = [f for f in ggufs if _shards_of(f)[0] == f]
    if len(firsts) == 1:
        return firsts[0]
    if not firsts:
        raise HubError(f"{repo_id} has neither a config.json nor a GGUF file to read")
    raise HubError(
        f"{repo_id} has {len(firsts)} GGUF files; pick one with --file: {_listed(firsts)}"
    )


def _listed(files: list[str], most: int = 12) -> str:
    shown = ", ".join(printable(f) for f in files[:most])
    return shown + (f" and {len(files) - most} more" if len(files) > most else "")


def _shards_of(chosen: str) -> list[str]:
    """All parts of a split GGUF (name-00001-of-00003.gguf), in order; else just `chosen`."""
    match = _SHARD.search(chosen)
    if not match:
        return [chosen]
    stem, count = chosen[: match.start()], int(match.group(2))
    return [f"{stem}-{index:05d}-of-{count:05d}.gguf" for index in range(1, count + 1)]


def _gguf_header_file(
    repo_id: str, revision: str | None, filename: str, folder: Path, online: bool
) -> Path:
    """The first bytes of a GGUF file, enough to hold its header, in a local file: fetched
    with growing range requests, or offline from the copy kept when it was first read."""
    from advisor.catalog.gguf_header import _read_gguf_header
    from advisor.userfiles import write_atomically

    target = folder / Path(filename).name
    if not online:
        if target.is_file():
            return target
        raise HubError(
            f"cannot reach the Hub and {filename} of {repo_id} was not read before; connect, or "
            "import a local .gguf file"
        )
    for length in _HEADER_RANGES:
        got = _ranged_get(repo_id, revision, filename, length)
        write_atomically(target, got)
        if len(got) < length:
            break  # the whole file is here: whatever the header reader says stands
        try:
            _read_gguf_header(target)
            break
        except CatalogFileError:
            continue  # cut inside the header: ask for more
    return target


def _ranged_get(repo_id: str, revision: str | None, filename: str, length: int) -> bytes:
    from huggingface_hub import hf_hub_url

    url = hf_hub_url(repo_id, filename, revision=revision)
    response = _hub_get(url, headers={"Range": f"bytes=0-{length - 1}"})
    return bytes(response.content[:length])


def search_hub(name: str) -> str | None:
    """The most downloaded Hub model whose id contains `name` (spaces read as dashes), asked
    with a time limit (the Hub library's own search call has none); errors as HubError."""
    from huggingface_hub import constants

    query = re.sub(r"\s+", "-", name.strip())
    if len(query) < 3:
        return None
    with hub_errors(query, None):
        response = _hub_get(
            f"{constants.ENDPOINT.rstrip('/')}/api/models",
            params={"search": query, "sort": "downloads", "limit": SEARCH_RESULTS},
        )
        found = response.json()
    ids = (
        [str(m["id"]) for m in found if isinstance(m, dict) and m.get("id")]
        if isinstance(found, list)
        else []
    )
    return ids[0] if ids else None


def _hub_get(
    url: str, *, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> Any:
    """One GET to the Hub with the user's token, redirects followed, the time limit, and the
    Hub's errors raised as huggingface_hub raises them."""
    from huggingface_hub import get_session, hf_raise_for_status
    from huggingface_hub.utils._headers import build_hf_headers

    response = get_session().get(
        url,
        params=params,
        headers={**build_hf_headers(), **(headers or {})},
        follow_redirects=True,
        timeout=TIMEOUT,
    )
    hf_raise_for_status(response)
    return response


# --- checks and sources ----------------------------------------------------------------------


def _params_check(data: dict[str, Any], info: ModelInfo | None) -> list[str]:
    published = info.safetensors.total if info and info.safetensors else None
    if not published:
        return []
    derived = float(data["params_total_b"]) * 1e9
    gap = abs(derived - published) / published
    summary = f"{derived / 1e9:,.2f}B derived vs {published / 1e9:,.2f}B in the Hub's safetensors"
    data.setdefault("sources", {})["params_total_b"] += f"; checked: {summary}"
    if gap <= _PARAMS_TOLERANCE:
        return [f"parameter count checked: {summary}"]
    return [
        f"parameter count differs by {gap:.0%}: {summary} (quantized or packed weights "
        "count differently; the derived figure is kept)"
    ]


def _with_hub_source(
    data: dict[str, Any], repo_id: str, revision: str | None, filename: str
) -> dict[str, Any]:
    from huggingface_hub import constants

    where = f"{constants.ENDPOINT.rstrip('/')}/{repo_id}/blob/{revision or 'main'}/{filename}"
    sources = dict(data.get("sources") or {})
    sources["*"] = f"{where} (read with huggingface_hub)"
    return {**data, "sources": sources, "notes": f"imported from {where}"}


def _network_errors() -> tuple[type[BaseException], ...]:
    import httpx2
    from huggingface_hub.errors import OfflineModeIsEnabled

    return (httpx2.TransportError, OfflineModeIsEnabled, OSError)


@contextmanager
def hub_errors(repo_id: str, revision: str | None) -> Iterator[None]:
    """The Hub's exceptions as one line a user can act on."""
    from huggingface_hub import errors

    at = f" at revision '{printable(revision)}'" if revision else ""
    try:
        yield
    except errors.LocalEntryNotFoundError:
        raise HubError(
            f"cannot reach the Hub and {repo_id}{at} is not in the local Hub cache; "
            "connect, or import a local config.json or .gguf file"
        ) from None
    except errors.GatedRepoError:
        raise HubError(
            f"{repo_id} is gated: accept its terms on the Hub, then set HF_TOKEN "
            "(or run `hf auth login`) and try again"
        ) from None
    except errors.RevisionNotFoundError:
        raise HubError(f"{repo_id} has no revision '{printable(revision or '')}'") from None
    except errors.RepositoryNotFoundError:
        raise HubError(
            f"no model {repo_id} on the Hub (or it is private: set HF_TOKEN if you have access)"
        ) from None
    except (errors.RemoteEntryNotFoundError, errors.EntryNotFoundError):
        raise HubError(f"{repo_id}{at} has no config.json or GGUF file to read") from None
    except errors.HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        raise HubError(f"the Hub answered HTTP {status} for {repo_id}{at}") from None
    except _network_errors() as exc:
        raise HubError(f"cannot reach the Hub for {repo_id}: {printable(str(exc))[:200]}") from None
    except CatalogFileError as exc:
        raise HubError(f"{repo_id}: {exc.message}") from None
