"""The definition format and the journey engine are plain Python: no Django, no database."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["porth.services.definition", "porth.services.engine"])
def test_module_imports_nothing_from_django(module: str) -> None:
    # A fresh interpreter: this one has Django loaded already.
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={}
    ).stdout
    assert out.strip() == "[]"
