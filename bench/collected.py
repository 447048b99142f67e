"""
Static files for a bench that runs fieldapp with DEBUG=0: pages name them through the
manifest that `collectstatic` writes (settings.STORAGES), as a deployment does before it
starts. Collected once per bench run into a folder of its own, set as STATIC_ROOT for this
process and the servers it starts.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HASHED = r"\.[0-9a-f]{12}(\.\w+)$"


def static_collect() -> Path:
    """Collect into a new temporary folder, export it as STATIC_ROOT, return it."""
    folder = Path(tempfile.mkdtemp(prefix="fieldapp-bench-static-"))
    os.environ["STATIC_ROOT"] = str(folder)
    command = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"]
    subprocess.run(command, cwd=ROOT, check=True, env=os.environ)
    return folder
