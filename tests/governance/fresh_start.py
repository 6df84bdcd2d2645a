"""Settings read in a fresh interpreter with exactly the given environment variables.

Settings are read once, at start-up, from the environment; these tests start Python anew so that
what a deployment's variables produce is what the test sees.
"""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'governance.settings'; django.setup()\n"


def start(env: dict, code: str = "", *args: str) -> subprocess.CompletedProcess:
    """Run ``django.setup()`` and then ``code`` with only these variables (and PATH)."""
    return subprocess.run(
        [sys.executable, "-c", SETUP + code, *args],
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_under(env: dict, *names: str) -> dict:
    """The named settings as these variables make them (JSON, so tuples come back as lists)."""
    code = "import json, sys; from django.conf import settings\n"
    code += "print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}))"
    result = start(env, code, *names)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
