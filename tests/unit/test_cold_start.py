"""A cold Lambda start loads what every request needs, not the libraries of a few routes.

bench/cold_start.py measures the time; this only checks which heavy libraries the handler's import
pulls in (the PDF, image, font, workbook and number-words ones load with the requests that use them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
HEAVY = ("fpdf", "PIL", "fontTools", "openpyxl", "num2words")


def test_importing_the_handler_loads_none_of_the_heavy_libraries():
    probe = f"import sys; sys.path.insert(0, '.'); import app; print([m for m in {HEAVY!r} if m in sys.modules])"
    ran = subprocess.run([sys.executable, "-c", probe], cwd=FUNCTIONS, capture_output=True, text=True, timeout=60,
                         env={"AWS_DEFAULT_REGION": "ap-southeast-3", "PATH": "/usr/bin:/bin"})
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"
