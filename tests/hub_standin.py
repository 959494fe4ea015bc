"""A local stand-in for the Hugging Face Hub, served over HTTP for HF_ENDPOINT.

It answers the requests huggingface_hub makes for a model: `GET /api/models/ORG/NAME[/revision/R]`
(model info: files, commit, safetensors parameter count), `HEAD`/`GET
/ORG/NAME/resolve/R/FILE` (with Range), and `GET /api/models?search=` (a name search), with the
status codes and `X-Error-Code` headers the real Hub sends for a missing repo, a missing file
and a gated repo. Every request is logged, so a test can see what was fetched."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@dataclass
class Repo:
    files: dict[str, bytes]
    gated: bool = False
    safetensors_total: int | None = None
    downloads: int = 0


@dataclass
class Hub:
    repos: dict[str, Repo] = field(default_factory=dict)
    log: list[tuple[str, str, str | None]] = field(default_factory=list)  # method, path, Range
    url: str = ""

    def add(self, repo_id: str, files: dict[str, Any], **kwargs: Any) -> None:
        data = {
            name: content if isinstance(content, bytes) else json.dumps(content).encode()
            for name, content in files.items()
        }
        self.repos[repo_id] = Repo(data, **kwargs)


_RESOLVE = re.compile(r"^/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$")
_INFO = re.compile(r"^/api/models/([^/]+/[^/]+?)(?:/revision/([^/]+))?$")


def _handler(hub: Hub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def do_HEAD(self) -> None:
            self._serve(body=False)

        def do_GET(self) -> None:
            self._serve(body=True)

        def _serve(self, body: bool) -> None:
            path = self.path.split("?", 1)[0]
            hub.log.append((self.command, path, self.headers.get("Range")))
            if path == "/api/models":
                return self._search(body)
            if match := _INFO.match(path):
                return self._info(match.group(1), body)
            if match := _RESOLVE.match(path):
                return self._file(match.group(1), match.group(3), body)
            self._error(404, "RepoNotFound", body)

        def _search(self, body: bool) -> None:
            query = self.path.partition("search=")[2].split("&", 1)[0].lower()
            found = [
                {"id": repo_id, "modelId": repo_id, "downloads": repo.downloads}
                for repo_id, repo in sorted(hub.repos.items())
                if query and query in repo_id.lower()
            ]
            self._send(200, json.dumps(found).encode(), {"Content-Type": "application/json"}, body)

        def _info(self, repo_id: str, body: bool) -> None:
            repo = hub.repos.get(repo_id)
            if repo is None:
                return self._error(404, "RepoNotFound", body)
            info: dict[str, Any] = {
                "id": repo_id,
                "modelId": repo_id,
                "sha": COMMIT,
                "private": False,
                "gated": "auto" if repo.gated else False,
                "siblings": [{"rfilename": name} for name in sorted(repo.files)],
            }
            if repo.safetensors_total:
                total = repo.safetensors_total
                info["safetensors"] = {"parameters": {"BF16": total}, "total": total}
            self._send(200, json.dumps(info).encode(), {"Content-Type": "application/json"}, body)

        def _file(self, repo_id: str, name: str, body: bool) -> None:
            repo = hub.repos.get(repo_id)
            if repo is None:
                return self._error(404, "RepoNotFound", body)
            if repo.gated and not self.headers.get("Authorization"):
                return self._error(401, "GatedRepo", body)
            if name not in repo.files:
                return self._error(404, "EntryNotFound", body)
            content = repo.files[name]
            headers = {
                "X-Repo-Commit": COMMIT,
                "ETag": '"' + hashlib.sha256(content).hexdigest() + '"',
                "Content-Type": "application/octet-stream",
            }
            status, part = 200, content
            if ranged := re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range") or ""):
                start = int(ranged.group(1))
                end = int(ranged.group(2)) if ranged.group(2) else len(content) - 1
                part = content[start : end + 1]
                headers["Content-Range"] = f"bytes {start}-{start + len(part) - 1}/{len(content)}"
                status = 206
            self._send(status, part, headers, body)

        def _error(self, status: int, code: str, body: bool) -> None:
            headers = {"X-Error-Code": code, "Content-Type": "application/json"}
            self._send(status, json.dumps({"error": code}).encode(), headers, body)

        def _send(self, status: int, data: bytes, headers: dict[str, str], body: bool) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

    return Handler


@contextmanager
def serve(hub: Hub) -> Iterator[Hub]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    hub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
