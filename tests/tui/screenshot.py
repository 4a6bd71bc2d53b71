"""Regenerate docs/review-screen.svg, the README's screenshot of the review screen.

    python -m tests.tui.screenshot

05PARIS174 with the bundled rules, a fresh review, a fixed reviewer and clock, at
120x36, after accepting the first suggestion and moving to the next one.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from reviewtool.tui.app import create_app

from .conftest import PARIS174, fixed_clock

ROOT = Path(__file__).resolve().parents[2]


async def main(out: Path = ROOT / "docs" / "review-screen.svg") -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(PARIS174, reviewer="reviewer", review_dir=tmp, clock=fixed_clock,
                         keymap={}, theme="textual-dark", blink=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            await pilot.press("a")
            await pilot.pause()
            app.save_screenshot(filename=out.name, path=str(out.parent))
    return out


if __name__ == "__main__":
    print(asyncio.run(main()))
