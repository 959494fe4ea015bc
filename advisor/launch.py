"""The `advisor` process: what must be settled before anything imports pydantic, then the chat
app or the CLI."""

from __future__ import annotations

import gc
import os
import sys


def entry() -> None:
    """The `advisor` console script."""
    # On its first model pydantic lists every installed distribution's entry points looking for
    # plugins (40-100 ms of directory reads, a third of a call); this process loads none.
    # A user who names plugins in PYDANTIC_DISABLE_PLUGINS keeps their setting.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from advisor import regex_cache

    regex_cache.seed()  # before anything compiles a pattern
    if len(sys.argv) == 1 and sys.stdin.isatty() and sys.stdout.isatty():
        from tui.app import run  # paints before the CLI's parser and pydantic are imported

        run()
        regex_cache.keep()
        return
    # A call lives well under a second and frees its memory by exiting; the cycle collector
    # would walk the ~300,000 objects imports create several times over (~8% of an `ask`).
    # The MCP server lives long and switches it back on (cli._cmd_mcp).
    gc.disable()
    from advisor.cli import entry as run_cli

    run_cli()
