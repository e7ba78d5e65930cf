"""`annual-etl ingest` with nothing that exists is a usage error, not an empty run."""

from pipelines.cli import main


def test_ingest_of_paths_that_do_not_exist_is_one_line_and_exit_2(tmp_path, capsys):
    code = main(["--home", str(tmp_path / "home"), "ingest", str(tmp_path / "no-such-report.pdf")])
    err = capsys.readouterr().err
    assert code == 2
    assert "no-such-report.pdf does not exist" in err and "Traceback" not in err
