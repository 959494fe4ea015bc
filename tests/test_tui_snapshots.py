"""What the app looks like at 80x24 and 160x48, empty and after an answer (SVG snapshots).

Update after an intended change with: python -m pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tui.app import AdvisorApp
from tui.widgets.question_input import QuestionInput

APP = Path(__file__).resolve().parent.parent / "tui" / "app.py"


@pytest.fixture(autouse=True)
def _stable_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)


async def _steady(pilot) -> None:  # type: ignore[no-untyped-def]
    """Freeze what can change with time: the input cursor shows, never blinks; animations are done.

    Without this a snapshot can catch the cursor in either half of its blink; and the header's
    settings line, shown once the core has loaded after the first paint, could be missing.
    """
    await pilot.app.loaded.wait()
    for widget in pilot.app.query(Input):
        widget.cursor_blink = False
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def _ask(pilot, question: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.query_one(QuestionInput).value = question
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class TestEmptyScreen:
    @pytest.mark.parametrize("size", [(80, 24), (160, 48)])
    def test_examples_on_an_empty_conversation(self, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(AdvisorApp(), terminal_size=size, run_before=_steady)


class TestAnswered:
    @pytest.mark.parametrize("size", [(80, 24), (160, 48)])
    def test_an_answer_with_its_table_and_chart(self, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await _steady(pilot)
            await _ask(pilot, "Can a DGX Spark run Llama 3.3 70B?")
            await _steady(pilot)

        assert snap_compare(AdvisorApp(), terminal_size=size, run_before=run_before)

    def test_a_chinese_comparison(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await _steady(pilot)
            await _ask(pilot, "mac studio 512g 和 dgx spark 跑 qwen3 235b 哪个好")
            await _steady(pilot)

        assert snap_compare(AdvisorApp(), terminal_size=(160, 48), run_before=run_before)
