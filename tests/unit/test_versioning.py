"""The extractor version follows the content of the rules and the lexicon, not a hand-kept number."""

from __future__ import annotations

import shutil

from pipelines import transform, versioning


def _copy_package(tmp_path):
    target = tmp_path / "pipelines"
    shutil.copytree(versioning.PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_digest_changes_with_the_lexicon_the_rules_and_the_metadata_code(tmp_path):
    package = _copy_package(tmp_path)
    base = versioning.content_digest(package)
    assert base == versioning.content_digest(versioning.PACKAGE)  # same content, same version anywhere

    aliases = package / "data" / "indicator_aliases.csv"
    aliases.write_text(aliases.read_text(encoding="utf-8") + "gdp,本区生产总值,test alias\n", encoding="utf-8")
    with_alias = versioning.content_digest(package)
    assert with_alias != base

    rule = package / "extract" / "units.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a comment is a change too\n", encoding="utf-8")
    assert versioning.content_digest(package) not in (base, with_alias)

    before_other = versioning.content_digest(package)
    (package / "report.py").write_text("# not an extraction file\n", encoding="utf-8")
    (package / "extract" / "__pycache__").mkdir(exist_ok=True)
    (package / "extract" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert versioning.content_digest(package) == before_other  # reports and bytecode do not count

    (package / "metadata.py").write_text("# changed\n", encoding="utf-8")
    assert versioning.content_digest(package) != before_other


def test_core_version_is_the_content_version_computed_once():
    from pipelines.extract import EXTRACTOR_VERSION

    version = versioning.extractor_version()
    assert transform.CORE_VERSION == version
    assert version.startswith(f"{EXTRACTOR_VERSION}+metadata") and len(version.rsplit("+", 1)[1]) == 12
    assert versioning.extractor_version.cache_info().currsize == 1
