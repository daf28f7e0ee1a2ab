"""Every command either does its job or prints one clear line and exits non-zero.

Through the real CLI (click's runner, or a subprocess where a real non-terminal stderr
matters) over real SQLite ledgers; hostile documents come from `hostile.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result

from conftest import REPO, CliRun
from hostile import ANSI, MARKUP, RLO, write_corpus, write_propositions

READ_COMMANDS = [["docs"], ["search", "troops"], ["show", "abcdef123456"], ["summary"],
                 ["statements"], ["export"], ["timeline", "P1"], ["report"], ["sources"],
                 ["propositions"], ["verify"], ["link"], ["reextract"],
                 ["source", "merge", "a", "b"]]


def _one_error_line(result: Result, *needles: str) -> str:
    """The command failed with exactly one `error:` line on stderr, naming `needles`."""
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def hostile(tmp_path: Path) -> CliRun:
    """A ledger whose own path, documents and propositions all carry markup and escapes."""
    (tmp_path / "[").mkdir()
    run = CliRun(tmp_path / "[" / "x].db")  # the ledger is called `.../[/x].db`
    assert MARKUP in str(run.db)
    added = run("add", str(write_corpus(tmp_path)))
    assert added.exit_code == 0, added.output
    proposed = run("propose", "--file", str(write_propositions(tmp_path)))
    assert proposed.exit_code == 0, proposed.output
    return run


@pytest.mark.parametrize(("args", "shown"), [
    (["summary"], MARKUP), (["search", "troops"], MARKUP), (["search", "Kursk region"], MARKUP),
    (["propositions"], MARKUP), (["timeline", MARKUP], MARKUP), (["timeline", "P2"], "[bold]"),
    (["docs"], MARKUP), (["statements"], "[/red]"), (["sources"], "Anna Berg"),
    (["show", "https://news.example.org/a"], MARKUP), (["show", "javascript:alert(1)"], "=cmd"),
    (["link"], "statement(s)"),
])
def test_document_text_is_never_markup_nor_raw_escapes(hostile: CliRun, args: list[str],
                                                         shown: str) -> None:
    result = hostile(*args)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and RLO not in result.output
    assert shown in result.output


def test_the_hostile_text_is_shown_escaped_not_dropped(hostile: CliRun) -> None:
    shown = hostile("show", "https://news.example.org/a").stdout
    assert "[/red]" in shown and "\\x1b[31mlies" in shown and "[bold]Troops[/bold]" in shown
    title = hostile("show", "javascript:alert(1)").stdout
    assert "\\u202egnp.exe" in title
    assert "[/x]" in hostile("summary").stdout  # the ledger name and the publisher
    listed = hostile("docs", "--json").stdout
    assert RLO not in listed and "\x1b" not in listed  # escaped, and the same data parsed
    assert f"@SUM(1+1) {RLO}gnp.exe" in {d["title"] for d in json.loads(listed)}


def test_error_lines_do_not_wrap_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    deep = tmp_path / ("a-folder-with-a-long-name-" * 4) / "mistyped-ledger-name.db"
    run = CliRun(deep)
    line = _one_error_line(run("docs"), "no ledger at", str(deep))
    assert len(line) > 120
    # A real process with stderr on a pipe, where rich would wrap at 80 columns.
    env = {**os.environ, "COLUMNS": "40"}
    done = subprocess.run([sys.executable, "-m", "corroborate", "--db", str(deep), "summary"],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and str(deep) in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not deep.parent.exists()


@pytest.mark.parametrize("args", READ_COMMANDS)
def test_read_commands_never_create_a_ledger(tmp_path: Path, args: list[str]) -> None:
    run = CliRun(tmp_path / "mistyped.db")
    _one_error_line(run(*args), "no ledger at", "mistyped.db", "corroborate add")
    assert list(tmp_path.iterdir()) == []


def test_a_ledger_path_that_is_no_ledger(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("shopping list")
    _one_error_line(CliRun(tmp_path / "notes.txt")("docs"), "notes.txt")
    (tmp_path / "folder.db").mkdir()
    _one_error_line(CliRun(tmp_path / "folder.db")("summary"), "folder.db", "folder")
    (tmp_path / "empty.db").write_bytes(b"")
    _one_error_line(CliRun(tmp_path / "empty.db")("summary"), "no ledger at")


@pytest.fixture
def small(run: CliRun, tmp_path: Path) -> CliRun:
    source = tmp_path / "a.txt"
    source.write_text('Defence minister Anna Berg said that "North Korean troops are in the '
                      'Kursk region". The Kremlin denied the reports.')
    assert run("add", str(source)).exit_code == 0
    return run


def test_report_to_a_missing_folder(small: CliRun, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "dir" / "r.html"
    _one_error_line(small("report", "-o", str(target)), str(target), "does not exist")
    _one_error_line(small("report", "--proposition", "P99"), "P99", "corroborate propositions")


@pytest.mark.parametrize(("content", "needles"), [
    ('{"propositions": {"id": "P1"}}', ['no "propositions" list']),
    ("[1, 2]", ['no "propositions" list']),
    ('{"propositions": [1]}', ["propositions[0]", "expected an object"]),
    ('{"propositions": [{"id": "P1"}]}', ["propositions[0]", '"statement"', "missing"]),
    ('{"propositions": [{"id": "P1", "statement": ""}]}', ["propositions[0]", "non-empty"]),
    ('{"propositions": [{"id": "P1", "statement": "a"}, {"id": "P1", "statement": "b"}]}',
     ["propositions[1]", "duplicate"]),
    ('{"propositions": []}', ["empty"]),
    ('{"propositions": [', ["not JSON", "line 1"]),
])
def test_malformed_propositions_file_names_file_and_field(small: CliRun, tmp_path: Path,
                                                          content: str,
                                                          needles: list[str]) -> None:
    path = tmp_path / "props.json"
    path.write_text(content)
    _one_error_line(small("propose", "--file", str(path)), "props.json", *needles)


def test_propose_arguments(small: CliRun, tmp_path: Path) -> None:
    empty = small("propose", "")
    assert empty.exit_code == 2 and "empty" in empty.stderr and "not both" not in empty.stderr
    neither = small("propose")
    assert neither.exit_code == 2 and "--file" in neither.stderr
    (tmp_path / "p.json").write_text('{"propositions": [{"id": "P1", "statement": "x"}]}')
    both = small("propose", "text", "--file", str(tmp_path / "p.json"))
    assert both.exit_code == 2 and "not both" in both.stderr
    assert small("propose", "North Korean troops are in Kursk").exit_code == 0


def test_search_says_how_the_query_was_read(small: CliRun) -> None:
    result = small("search", '"unbalanced')
    assert result.exit_code == 0
    assert "unclosed quote" in result.stderr and "search syntax" in result.stderr
    assert "searched for: unbalanced" in result.stderr
    nothing = small("search", '"" -- !!')
    assert nothing.exit_code in (0, 1) and "Traceback" not in nothing.output
    assert "nothing searchable" in nothing.stderr or nothing.exit_code == 1


@pytest.mark.parametrize("query", ["a OR OR b", "OR", "NOT", "-", '"', "AND AND", "a NEAR b",
                                   "troops*", "^troops", "col:troops", "(troops"])
def test_odd_queries_never_raise(small: CliRun, query: str) -> None:
    result = small("search", query)  # catch_exceptions=False: a traceback fails the test
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        _one_error_line(result)


def test_a_leading_minus_is_a_query_word(small: CliRun) -> None:
    """`-word` excludes a word wherever it stands, also first: it is never taken for an option
    (nor `-h...` for --help)."""
    for args, hits in ((["-Kremlin", "troops"], 0), (["--", "-Kremlin", "troops"], 0),
                       (["-Kremlin troops"], 0), (["troops", "-Kremlin"], 0),
                       (["-hamas", "troops"], 1), (["-hamas troops"], 1), (["troops"], 1)):
        result = small("search", "--json", *args)
        assert result.exit_code == 0, (args, result.output)
        assert len(json.loads(result.stdout)) == hits, args
    only_excluded = small("search", "-Kremlin")
    assert only_excluded.exit_code in (0, 1) and "No such option" not in only_excluded.output
    for flag in ("--help", "-h"):
        helped = small("search", flag)
        assert helped.exit_code == 0 and "exact phrase" in helped.stdout
    assert small("search").exit_code == 2


def test_show_a_statement_id(small: CliRun) -> None:
    (statement,) = [json.loads(line) for line in small("export").stdout.splitlines()
                    if "Anna Berg" in line]
    for ref in (statement["id"], statement["id"][:8]):
        result = small("show", ref)
        assert result.exit_code == 0, result.output
        assert "Anna Berg" in result.stdout and statement["document"]["id"][:10] in result.stdout
    as_json = json.loads(small("show", "--json", statement["id"]).stdout)
    assert as_json["id"] == statement["id"] and as_json["document"]["id"]


@pytest.mark.parametrize(("args", "code"), [
    (["docs", "--since", "yesterday"], 2), (["docs", "--until", "2024-13-01"], 2),
    (["docs", "--limit", "0"], 2), (["search", "troops", "--limit", "-1"], 2),
    (["docs", "--kind", "blog"], 2), (["export", "--format", "xml"], 2),
    (["timeline", "P99"], 1), (["show", "nothing-like-this"], 1),
    (["statements", "--doc", "feedfacefeed"], 1), (["source", "merge", "nobody", "x"], 2),
    (["source", "set", "x", "grade"], 2), (["add", str(REPO / "no-such-file.txt")], 1),
    (["export", "-o", "/no/such/dir/out.jsonl"], 2), (["extract", "no-such-file.txt"], 1),
    (["report", "-o", "."], 2),
])
def test_user_mistakes_are_one_line_and_an_exit_code(small: CliRun, args: list[str],
                                                    code: int) -> None:
    result = small(*args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    if code == 1:
        assert [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def test_an_archive_path_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a folder")
    source = tmp_path / "a.txt"
    source.write_text("The ministry denied the reports.")
    result = CliRun(tmp_path / "l.db")("--archive", str(tmp_path / "notes.txt"), "add",
                                        str(source))
    _one_error_line(result, "notes.txt", "not a folder")


def test_no_traceback_from_the_console_script(tmp_path: Path) -> None:
    """The installed entry point (python -m corroborate) on a few mistakes at once."""
    for args in (["--db", str(tmp_path / "x.db"), "timeline", "P1"],
                 ["--db", str(tmp_path / "x.db"), "report", "-o", "/no/dir/r.html"]):
        done = subprocess.run([sys.executable, "-m", "corroborate", *args], capture_output=True,
                              text=True, cwd=REPO, timeout=60)
        assert done.returncode in (1, 2) and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert ANSI  # the hostile helpers are shared with test_cli.py


def test_open_ledger_without_create_on_both_backends(db_location: str, tmp_path: Path) -> None:
    """The library call read commands use: no ledger there → NotFound, and nothing created."""
    from corroborate import open_ledger
    from corroborate.errors import NotFound

    with pytest.raises(NotFound, match=r"no ledger at|not a corroborate ledger"):
        open_ledger(db_location, tmp_path / "archive", create=False)
    assert not Path(db_location).exists()  # (a PostgreSQL URL is never a local path)
    open_ledger(db_location, tmp_path / "archive").close()
    with open_ledger(db_location, tmp_path / "archive", create=False) as ledger:
        assert ledger.summary()["documents"] == 0
