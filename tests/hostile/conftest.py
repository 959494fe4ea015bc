"""A hard stop for hostile-input tests: a regression that hangs fails the test, not the run."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from types import FrameType

import pytest

HARD_STOP_SECONDS = 60  # far above any bound a test asserts; only a hang reaches it


class HardStop(Exception):
    """Raised in the test when it has run for HARD_STOP_SECONDS."""


@pytest.fixture(autouse=True)
def _hard_stop() -> Iterator[None]:
    """Interrupt the test after HARD_STOP_SECONDS (where SIGALRM exists, on the main thread).

    Python code is interrupted at once; a single long C call only when it returns."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise HardStop(f"hostile-input test still running after {HARD_STOP_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, HARD_STOP_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
