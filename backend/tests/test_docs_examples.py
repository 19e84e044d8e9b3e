"""The examples of docs/api.md, run in order against a real server, so they cannot rot: the shell
blocks as one bash script, then the Python (httpx) blocks as one Python program."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from support import ADMIN_PASSWORD, Server

from registry.settings import REPO_ROOT

API_GUIDE = REPO_ROOT / "docs" / "api.md"


def shell_blocks(markdown: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", markdown, re.DOTALL)


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, re.DOTALL)


def expected_outputs(markdown: str, language: str) -> list[str]:
    """The plain output block that follows each `language` block, where there is one."""
    return re.findall(rf"```{language}\n.*?```\n\n```\n(.*?)```", markdown, re.DOTALL)


@pytest.fixture(scope="module")
def walk_through(server: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The curl walk-through's output (the Python examples use the records it made)."""
    script = "\n".join(shell_blocks(API_GUIDE.read_text()))
    script = re.sub(r"^API=.*$", f"API={server.url}/api/v1", script, count=1, flags=re.MULTILINE)
    script = re.sub(r"^ADMIN_PASSWORD=.*$", f"ADMIN_PASSWORD='{ADMIN_PASSWORD}'", script, count=1, flags=re.MULTILINE)
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path_factory.mktemp("sh"))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_api_guide_walk_through_runs(walk_through: str) -> None:
    output = walk_through
    assert '"username":"admin"' in output
    assert '"item_subtype":"MODEL"' in output and '"next_cursor":null' in output
    assert '"actions":{"view":true,"edit":true,"clone":true' in output
    assert '"display_name":"Catchment model 2.2"' in output  # the command-line clone
    assert '"revision":2' in output and '"reason":"Hourly runs are supported now"' in output
    assert '"groups":{' in output and '["metadata-write"]' in output
    assert '"path":"daily/rain.csv","size":19' in output and '}]}day,mm' in output
    assert '"action":"replaced"' in output and "\n204\n" in output  # the file's deletion
    assert '{"status":"ok","database":"ok"}' in output and "'MODEL_RUN_WORKFLOW_TEMPLATE'" in output
    assert "Catchment model 2.1\nCatchment model 2.2\n" in output  # one page at a time
    assert '"old":{"general":["metadata-read"],"groups":{}}' in output  # the access log
    assert '"members":["grace"]' in output and '"username":"grace"' in output
    assert output.rstrip().endswith("204")  # grace left the group
    ids = re.findall(r'\{"id":"([0-9a-f-]+)","item_subtype":"STUDY"', output)
    assert len(ids) == 2 and ids[0] == ids[1], "the idempotent retry returns the same record"


def test_api_guide_python_examples_run(server: Server, walk_through: str, tmp_path) -> None:  # noqa: ANN001
    """After the walk-through (the Python blocks use its records), each block prints what the guide shows."""
    guide = API_GUIDE.read_text()
    blocks = python_blocks(guide)
    assert len(blocks) >= 4
    program = "\n".join(blocks)
    program = re.sub(r"^API = .*$", f'API = "{server.url}/api/v1"', program, count=1, flags=re.MULTILINE)
    program = re.sub(r"^ADMIN_PASSWORD = .*$", f"ADMIN_PASSWORD = {ADMIN_PASSWORD!r}", program, count=1, flags=re.MULTILINE)
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "".join(expected_outputs(guide, "python"))
