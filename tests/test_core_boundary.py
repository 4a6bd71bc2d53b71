"""The core never imports Textual: checked in a fresh interpreter."""

import subprocess
import sys
from pathlib import Path

import reviewtool


def test_core_leaves_textual_unimported():
    code = (
        "import sys, importlib, pkgutil, reviewtool, reviewtool.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'reviewtool.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "import reviewtool.cli\n"
        "bad = sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_textual_import_statement_in_core():
    core = Path(reviewtool.__file__).parent / "core"
    for path in core.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            assert not stripped.startswith(("import textual", "from textual")), path
