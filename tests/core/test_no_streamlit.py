import pkgutil
import subprocess
import sys

import core


def test_core_never_imports_streamlit():
    modules = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
    modules = [m for m in modules if not m.startswith("core.migrations") and m != "core.__main__"]
    assert "core.generation.service" in modules and "core.media.draft.video" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit')\n"
        "print(leaked)\nsys.exit(1 if leaked else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
