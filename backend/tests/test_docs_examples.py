"""The shell examples of docs/api.md, run in order against a real server, so they cannot rot."""

from __future__ import annotations

import re
import subprocess

from support import ADMIN_PASSWORD, Server

from registry.settings import REPO_ROOT

API_GUIDE = REPO_ROOT / "docs" / "api.md"


def shell_blocks(markdown: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", markdown, re.DOTALL)


def test_api_guide_walk_through_runs(server: Server, tmp_path) -> None:  # noqa: ANN001
    script = "\n".join(shell_blocks(API_GUIDE.read_text()))
    script = re.sub(r"^API=.*$", f"API={server.url}/api/v1", script, count=1, flags=re.MULTILINE)
    script = re.sub(r"^ADMIN_PASSWORD=.*$", f"ADMIN_PASSWORD='{ADMIN_PASSWORD}'", script, count=1, flags=re.MULTILINE)
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    output = result.stdout
    assert '"username":"admin"' in output
    assert '"item_subtype":"MODEL"' in output and '"next_cursor":null' in output
    assert '"actions":{"view":true,"edit":true,"clone":true' in output
    assert '"display_name":"Catchment model 2.2"' in output  # the command-line clone
    assert '"revision":2' in output and '"reason":"Hourly runs are supported now"' in output
    assert '"groups":{' in output and '["metadata-write"]' in output
    assert '"path":"daily/rain.csv","size":19' in output and '}]}day,mm' in output
    assert '"action":"replaced"' in output and output.rstrip().endswith("204")
    ids = re.findall(r'\{"id":"([0-9a-f-]+)","item_subtype":"STUDY"', output)
    assert len(ids) == 2 and ids[0] == ids[1], "the idempotent retry returns the same record"
