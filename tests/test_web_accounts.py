"""Analysts' accounts (`corroborate serve --tokens FILE`): each analyst's token names the
author of the edits made with it, whatever name a form or JSON body claims; a tokens file
that cannot be trusted is refused with the line that is wrong."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from corroborate.web.accounts import AccountsError, load_tokens
from corroborate.web.serve import check_binding
from webkit import build_kursk, client, csrf

ANN = "ann-token-0123456789abcdef"
BOB = "bob-token-0123456789abcdef"


def _tokens(folder: Path, text: str) -> Path:
    path = folder / "tokens.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_tokens_file_maps_tokens_to_names_and_refuses_what_it_cannot_trust(
        tmp_path: Path) -> None:
    path = _tokens(tmp_path, f"# analysts\nann:{ANN}\n\n bob : {BOB} \nann:{ANN}x:with:colons\n")
    assert load_tokens(path) == {ANN: "ann", BOB: "bob", f"{ANN}x:with:colons": "ann"}
    for text, problem in [(f"ann {ANN}\n", "line 1: expected name:token"),
                          (f":{ANN}\n", "line 1: expected name:token"),
                          ("ann:short\n", "line 1: the token of 'ann' is shorter than 16"),
                          (f"ann:{ANN}\nbob:{ANN}\n", "line 2: this token is also the token of"),
                          ("# nobody\n", "no name:token line")]:
        with pytest.raises(AccountsError, match=problem):
            load_tokens(_tokens(tmp_path, text))
    with pytest.raises(AccountsError, match="cannot read"):
        load_tokens(tmp_path / "missing.txt")
    assert check_binding("0.0.0.0", None, accounts=True) is None


@pytest.fixture
def accounts(tmp_path: Path) -> Iterator[TestClient]:
    location = build_kursk(str(tmp_path / "k.db"), tmp_path / "archive")
    c = client(location, tmp_path / "archive", allowed_hosts=None, author="server-default",
               accounts=load_tokens(_tokens(tmp_path, f"ann:{ANN}\nbob:{BOB}\n")))
    yield c
    c.app.app.state.pool.close()  # type: ignore[attr-defined]


def test_each_edit_is_by_the_analyst_whose_token_made_it(accounts: TestClient) -> None:
    c = accounts
    assert c.get("/api/summary").status_code == 401
    assert c.get("/api/summary", headers={"Authorization": "Bearer nope-not-a-token-at-all"}
                 ).status_code == 401
    ann = {"Authorization": f"Bearer {ANN}"}
    row = c.get("/api/statements?proposition=P2&limit=2", headers=ann).json()["items"]
    token = csrf(c)
    # ann's token, a body claiming to be someone else: the edit is ann's.
    done = c.post("/api/links", json={"statement_id": row[0]["id"], "proposition_id": "P2",
                                      "stance": "uncertain", "author": "mallory"},
                  headers={**ann, "X-CSRF-Token": token})
    assert done.status_code == 200, done.text
    assert done.json()["correction"]["author"] == "ann"
    # bob logs in with his token (the cookie carries it) and edits through a form.
    assert c.post("/login", data={"token": "wrong-token-0123456789", "csrf": token}
                  ).status_code == 401
    login = c.post("/login", data={"token": BOB, "csrf": token}, follow_redirects=False)
    assert login.status_code == 303
    page = c.get("/propositions/P2")
    assert page.status_code == 200 and "<bdi>bob</bdi>" in page.text  # who is signed in
    form = c.post("/corrections/link", data={
        "csrf": token, "statement_id": row[1]["id"], "proposition_id": "P2",
        "stance": "deny", "author": "ann", "next": "/propositions/P2"},
        follow_redirects=False)
    assert form.status_code == 303
    authors = [h["author"] for h in c.get("/api/history").json()["items"]]
    assert authors == ["bob", "ann"]


def test_serve_refuses_a_tokens_file_it_cannot_use(run: object, tmp_path: Path) -> None:
    bad = _tokens(tmp_path, "ann:short\n")
    result = run("serve", "--host", "0.0.0.0", "--tokens", str(bad))  # type: ignore[operator]
    assert result.exit_code == 1
    assert "line 1" in result.output and "shorter than 16" in result.output


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(x) for x in (task / "children").read_text().split()]
    return found


def test_serve_with_workers_answers_from_several_processes_with_accounts(
        web_kursk: tuple[str, Path], tmp_path: Path) -> None:
    """`serve --workers 2`: the settings (here a tokens file) reach every worker process."""
    import http.client
    import json
    import os
    import subprocess
    import sys
    import time

    from webkit import free_port

    port = free_port()
    tokens = _tokens(tmp_path, f"ann:{ANN}\n")
    env = {**os.environ, "CORROBORATE_ARCHIVE": str(web_kursk[1])}
    process = subprocess.Popen(
        [sys.executable, "-m", "corroborate", "--db", web_kursk[0], "serve", "--port",
         str(port), "--workers", "2", "--tokens", str(tokens)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        assert process.stdout is not None
        assert f"http://127.0.0.1:{port}/" in process.stdout.readline()
        deadline = time.monotonic() + 60
        statuses: list[int] = []
        while len(statuses) < 20:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/api/summary")
                denied = conn.getresponse()
                denied.read()
                conn.request("GET", "/api/summary", headers={"Authorization": f"Bearer {ANN}"})
                ok = conn.getresponse()
                assert json.loads(ok.read())["statements"] > 300
                statuses += [denied.status, ok.status]
                conn.close()
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert set(statuses) == {401, 200}
        workers = [p for p in _children(process.pid)
                   if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
        assert len(workers) == 2, workers
    finally:
        process.terminate()
        process.wait(20)
        if process.stdout:
            process.stdout.close()
