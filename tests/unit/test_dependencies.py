"""The declared runtime dependencies are exactly what ``pipelines/`` imports (issue 16)."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Declared for what they provide without an import statement of ours.
USED_WITHOUT_IMPORT = {
    "dagster-webserver": "the Dagster UI (`make ui`)",
    "dagster-graphql": "the UI's API, used by the server test",
    "cpca": "its division table is read with importlib.resources",
    "lxml-html-clean": "readability-lxml imports lxml.html.clean, which lxml moved into this package",
}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_level() -> set[str]:
    names = set()
    for path in (REPO / "pipelines").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"pipelines"}


def test_every_import_is_declared_and_every_declaration_used():
    declared = {_normal(re.split(r"[=<>!~\[ ]", d)[0])
                for d in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]}
    providers = packages_distributions()
    imported = {_normal(dist) for module in _imported_top_level() for dist in providers.get(module, [module])}
    assert imported - declared == set(), "imported but not declared in pyproject.toml"
    assert declared - imported - {_normal(n) for n in USED_WITHOUT_IMPORT} == set(), "declared but never imported"
