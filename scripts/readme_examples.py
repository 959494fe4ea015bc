"""The README's example answers: each is the exact output of the command written above it.

    python scripts/readme_examples.py           # say which examples are out of date
    python scripts/readme_examples.py --write   # rewrite them from the current advisor

An example is a line "`advisor ...`:" followed by a blank line and a block quoted with "> ".
The commands run in process with no user files (a temporary config dir).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLE = re.compile(r"^`(advisor [^`]+)`:\n\n((?:>.*\n)+)", re.MULTILINE)


def output_of(command: str) -> str:
    from advisor.cli import main

    out = io.StringIO()
    with tempfile.TemporaryDirectory() as config, contextlib.redirect_stdout(out):
        os.environ["ADVISOR_CONFIG_DIR"] = config
        code = main(shlex.split(command)[1:])
    if code != 0:
        raise SystemExit(f"`{command}` exited {code}")
    return out.getvalue()


def quoted(text: str) -> str:
    return "".join(f"> {line}".rstrip() + "\n" for line in text.rstrip("\n").split("\n"))


def examples(readme: str) -> list[tuple[str, str, str]]:
    """(command, quoted block as written, quoted block the advisor gives now)."""
    return [(m[1], m[2], quoted(output_of(m[1]))) for m in EXAMPLE.finditer(readme)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the examples in README.md")
    args = parser.parse_args()
    readme = README.read_text(encoding="utf-8")
    stale = [(c, old, new) for c, old, new in examples(readme) if old != new]
    for command, old, new in stale:
        print(f"out of date: {command}", file=sys.stderr)
        readme = readme.replace(f"`{command}`:\n\n{old}", f"`{command}`:\n\n{new}")
    if args.write and stale:
        README.write_text(readme, encoding="utf-8")
    return 1 if stale and not args.write else 0


if __name__ == "__main__":
    raise SystemExit(main())
