"""The server's warm-up: what the screens import is loaded at start, and frozen out of the garbage
collector's way; the command line is not run, and no custom component is declared outside a
script run (it would never be registered)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.utils.processes import ROOT, child_env

CHECK = """
import gc, json, logging, sys
logging.basicConfig(level=logging.WARNING)
import serve
serve.warm_up()
print(json.dumps({"frozen": gc.get_freeze_count(),
                  "loaded": sorted(m for m in sys.modules if m.split(".")[0] in
                                   ("pandas", "altair", "core", "streamlit_sortables",
                                    "extra_streamlit_components", "app_pages"))}))
"""


def test_warm_up_imports_core_and_the_heavy_libraries_and_freezes_them(studio_env):
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, env=child_env(),
                            capture_output=True, text=True, timeout=180)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "warm-up:" not in result.stderr  # every module imported
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["frozen"] > 100_000
    loaded = set(found["loaded"])
    assert {"pandas", "altair", "core.costs.report", "core.storyboards.editing"} <= loaded
    assert not {"core.cli", "core.__main__"} & loaded
    assert not {m.split(".")[0] for m in loaded} & {
        "streamlit_sortables", "extra_streamlit_components", "app_pages"
    }  # fmt: skip
