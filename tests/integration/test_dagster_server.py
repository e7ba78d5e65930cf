"""The code location loads: `dagster definitions validate`, and the webserver's GraphQL API lists
the assets, checks, sensors and schedule."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _env(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    return dict(os.environ, DAGSTER_HOME=str(home))


def test_definitions_validate(tmp_path):
    result = subprocess.run([str(BIN / "dagster"), "definitions", "validate", "-m", "pipelines.definitions"],
                            cwd=REPO, env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


QUERY = """{ repositoriesOrError { ... on RepositoryConnection { nodes {
  name
  sensors { name }
  schedules { name }
  jobs { name }
  assetNodes { assetKey { path } groupName isPartitioned
    assetChecksOrError { ... on AssetChecks { checks { name blocking } } } }
} } } }"""


@pytest.mark.slow
def test_webserver_graphql_lists_assets_sensors_and_schedule(tmp_path):
    port = _free_port()
    server = subprocess.Popen([str(BIN / "dagster-webserver"), "-m", "pipelines.definitions", "-h", "127.0.0.1",
                               "-p", str(port)], cwd=REPO, env=_env(tmp_path),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        payload = None
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", method="POST",
                                                 data=json.dumps({"query": QUERY}).encode(),
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=10) as response:
                    payload = json.load(response)
                if payload.get("data", {}).get("repositoriesOrError", {}).get("nodes"):
                    break
            except OSError:
                pass
            time.sleep(1)
        assert payload, "the webserver did not answer"
        (repo,) = payload["data"]["repositoriesOrError"]["nodes"]
        assets = {"/".join(node["assetKey"]["path"]): node for node in repo["assetNodes"]}
        assert {"raw_documents", "indicator_facts", "indicator_yoy", "plan_vs_actual"} <= set(assets)
        assert assets["raw_documents"]["isPartitioned"] and assets["raw_documents"]["groupName"] == "raw"
        assert assets["indicator_yoy"]["groupName"] == "marts"
        checks = {c["name"]: c["blocking"] for c in assets["indicator_facts"]["assetChecksOrError"]["checks"]}
        assert checks.get("core_contract") is True and checks.get("core_warnings") is False
        assert {"inbox_sensor", "check_failure_alerts", "run_failure_alerts"} <= {s["name"] for s in repo["sensors"]}
        assert "daily_refresh" in {s["name"] for s in repo["schedules"]}
        assert "ingest_reports" in {j["name"] for j in repo["jobs"]}
    finally:
        server.terminate()
        server.wait(timeout=30)
