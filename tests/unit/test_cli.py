"""The ``winnow`` command, run in-process."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from winnow import __version__, cli
from winnow.errors import ExtractionError
from winnow.model import Block, Document
from winnow.options import Options
from winnow.serve.command import config_from

PAGE = b"<html><head><title>Hi</title></head><body><p>Hello there.</p></body></html>"


@pytest.fixture
def pages(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "a.html", tmp_path / "b.html"]
    for path in paths:
        path.write_bytes(PAGE)
    return paths


@pytest.fixture
def fake_extract(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, str | None, Options]]:
    """Replace the engine: each page's bytes become one paragraph; b"bad" fails."""
    calls: list[tuple[bytes, str | None, Options]] = []

    def extract(page: bytes, url: str | None = None, options: Options | None = None) -> Document:
        assert options is not None
        calls.append((page, url, options))
        if page.strip() == b"bad":
            raise ExtractionError("not a page\nat all")
        text = page.decode().strip()
        return Document(url=url, title=text.upper(), blocks=[Block("paragraph", text)])

    monkeypatch.setattr(cli, "extract", extract)
    return calls


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_json_lines_and_a_missing_file(
    tmp_path: Path, pages: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.html"
    args = ["extract", str(pages[0]), str(missing), str(pages[1]), "--format", "json"]
    status = cli.main([*args, "--url", "https://example.org/a"])
    out, err = capsys.readouterr()
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert all(json.loads(line)["url"] == "https://example.org/a" for line in lines)
    assert err == f"winnow: {missing}: No such file or directory\n"


def test_json_output_is_deterministic(
    pages: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["extract", str(pages[0]), "--format", "json"]) == 0
    first = capsys.readouterr().out
    assert cli.main(["extract", str(pages[0]), "--format", "json"]) == 0
    assert capsys.readouterr().out == first


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_every_format_runs_on_a_real_page(
    pages: list[Path], fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["extract", str(pages[0]), "--format", fmt]) == 0
    out, err = capsys.readouterr()
    assert out.endswith("\n") and err == ""


def test_text_outputs_are_separated_by_a_blank_line(
    tmp_path: Path, fake_extract: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = write(tmp_path, "1.html", b"one"), write(tmp_path, "2.html", b"two")
    assert cli.main(["extract", first, second]) == 0
    assert capsys.readouterr().out == "one\n\ntwo\n"


def test_markdown_and_html_of_several_inputs(
    tmp_path: Path, fake_extract: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = write(tmp_path, "1.html", b"one"), write(tmp_path, "2.html", b"two")
    assert cli.main(["extract", first, second, "--format", "markdown"]) == 0
    assert capsys.readouterr().out == "# ONE\n\none\n\n# TWO\n\ntwo\n"
    assert cli.main(["extract", first, second, "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert out.count("<article>") == 2 and "</article>\n\n<article>" in out


def test_extraction_error_is_one_line_and_the_rest_still_runs(
    tmp_path: Path, fake_extract: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    bad, good = write(tmp_path, "bad.html", b"bad"), write(tmp_path, "ok.html", b"fine")
    assert cli.main(["extract", bad, good, "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert err == f"winnow: {bad}: not a page at all\n"
    assert [json.loads(line)["text"] for line in out.splitlines()] == ["fine"]


def test_gzip_files_are_decompressed(
    tmp_path: Path,
    fake_extract: list[tuple[bytes, str | None, Options]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    plain = write(tmp_path, "p.html", b"hello gzip")
    packed = write(tmp_path, "p.html.gz", gzip.compress(b"hello gzip"))
    assert cli.main(["extract", plain, packed]) == 0
    assert [page for page, _, _ in fake_extract] == [b"hello gzip", b"hello gzip"]
    assert capsys.readouterr().out == "hello gzip\n\nhello gzip\n"


def test_broken_gzip_is_reported(
    tmp_path: Path, fake_extract: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    broken = write(tmp_path, "x.gz", gzip.compress(b"hello" * 100)[:20])
    assert cli.main(["extract", broken]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"winnow: {broken}: cannot decompress") and err.count("\n") == 1


def test_stdin(
    monkeypatch: pytest.MonkeyPatch,
    fake_extract: list[tuple[bytes, str | None, Options]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", SimpleNamespace(buffer=io.BytesIO(b"from stdin")))
    assert cli.main(["extract", "-"]) == 0
    assert capsys.readouterr().out == "from stdin\n"


def test_flags_become_options(
    tmp_path: Path,
    fake_extract: list[tuple[bytes, str | None, Options]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = write(tmp_path, "p.txt", b"x")
    args = ["extract", page, "--input", "text", "--favor", "precision", "--no-tables"]
    assert cli.main([*args, "--url", "https://example.org/"]) == 0
    _, url, options = fake_extract[0]
    assert url == "https://example.org/"
    assert options == Options(input="text", favor="precision", include_tables=False)


@pytest.mark.parametrize(
    "argv",
    [[], ["extract"], ["extract", "x", "--format", "xml"], ["extract", "x", "--max-bytes", "0"]],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    assert "usage: winnow" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"winnow {__version__}\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["extract", "--max-bytes", "0", "page.html"],
        ["run", "pages/", "-o", "out.jsonl", "--budget", "-1"],
        ["run", "pages/", "-o", "out.jsonl", "--budget", "nan"],
        ["run", "pages/", "-o", "out.jsonl", "--workers", "two"],
        ["serve", "--timeout", "0"],
        ["extract", "--max-depth", "0", "page.html"],
        ["serve", "--max-depth", "-5"],
    ],
)
def test_every_command_refuses_numbers_that_are_not_positive(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    assert "not a positive number" in capsys.readouterr().err


def test_max_depth_reaches_every_command() -> None:
    parser = cli.build_parser()
    extract = parser.parse_args(["extract", "page.html", "--max-depth", "64"])
    assert cli.options_from(extract).max_depth == 64
    run = parser.parse_args(["run", "pages/", "-o", "out.jsonl", "--max-depth", "64"])
    assert cli.options_from(run).max_depth == 64
    serve = parser.parse_args(["serve", "--max-depth", "64"])
    assert config_from(serve).max_depth == 64
    assert config_from(parser.parse_args(["serve"])).max_depth == Options().max_depth
