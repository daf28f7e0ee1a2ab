"""The workbench's wall: CSP and headers, CSRF on every change, the token off loopback, the
Host check, the body-size limit, and `corroborate serve` refusing an unsafe binding."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from corroborate.web.serve import ServeError, check_binding
from webkit import client, csrf, free_port

TOKEN = "a-long-enough-test-token-1234"


def test_every_response_carries_a_csp_without_inline_script(web_api: TestClient) -> None:
    for url in ("/propositions", "/propositions/P2", "/api/summary", "/nope", "/static/app.js"):
        headers = web_api.get(url).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"


def test_pages_have_no_inline_script_or_handler(web_api: TestClient) -> None:
    page = web_api.get("/propositions/P2").text
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts == ['<script src="/static/app.js" defer>']
    assert not re.search(r"\son[a-z]+\s*=", page)
    assert "javascript:" not in page.lower()


def test_a_change_without_the_csrf_token_is_refused(web_api: TestClient) -> None:
    token = csrf(web_api)
    before = web_api.get("/api/propositions").json()["total"]
    for headers in ({}, {"X-CSRF-Token": "wrong"}, {"X-CSRF-Token": ""}):
        response = web_api.post("/api/propositions", json={"statement": "forged"}, headers=headers)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "csrf"
    form = web_api.post("/propositions", data={"statement": "forged", "csrf": "wrong"})
    assert form.status_code == 403
    assert web_api.get("/api/propositions").json()["total"] == before
    made = web_api.post("/api/propositions", json={"statement": "Troops crossed the border"},
                    headers={"X-CSRF-Token": token})
    assert made.status_code == 201
    by_form = web_api.post("/propositions", data={"statement": "A second one", "csrf": token},
                       follow_redirects=False)
    assert by_form.status_code == 303
    assert by_form.headers["location"] == f"/propositions/{by_form.headers['location'][14:]}"
    assert web_api.get("/api/propositions").json()["total"] == before + 2


def test_a_cross_origin_change_is_refused_even_with_the_token(web_api: TestClient) -> None:
    token = csrf(web_api)
    response = web_api.post("/api/propositions", json={"statement": "x"},
                        headers={"X-CSRF-Token": token, "Origin": "https://evil.example"})
    assert response.status_code == 403 and response.json()["error"]["field"] == "Origin"


def test_a_foreign_host_name_is_refused(web_api: TestClient) -> None:
    response = web_api.get("/api/summary", headers={"Host": "attacker.example:8000"})
    assert response.status_code == 421
    assert response.json()["error"]["code"] == "host"


def test_bodies_over_the_limit_are_refused(web_kursk: tuple[str, Path]) -> None:
    small = client(*web_kursk, max_body=1000)
    token = csrf(small)
    response = small.post("/api/propositions", content=b'{"statement": "' + b"x" * 2000 + b'"}',
                          headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"statement": "'
        for _ in range(20):
            yield b"y" * 100
        yield b'"}'

    streamed = small.post("/api/propositions", content=chunks(),
                          headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
    assert streamed.status_code == 413
    small.app.app.state.pool.close()  # type: ignore[attr-defined]


def test_bad_json_bodies_name_the_problem(web_api: TestClient) -> None:
    token = csrf(web_api)
    for body, field in ((b"{not json", "body"), (b"[1, 2]", "body"), (b'{"statement": 5}',
                                                                      "statement"),
                        (b"{}", "statement")):
        response = web_api.post("/api/propositions", content=body,
                            headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
        assert response.status_code == 400, body
        assert response.json()["error"]["field"] == field


def test_with_a_token_every_request_needs_it(web_kursk: tuple[str, Path]) -> None:
    c = client(*web_kursk, token=TOKEN, allowed_hosts=None)
    denied = c.get("/api/summary")
    assert denied.status_code == 401 and denied.json()["error"]["code"] == "unauthorized"
    page = c.get("/propositions")
    assert page.status_code == 401 and "/login" in page.text
    assert c.get("/api/summary", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/api/summary",
                 headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert c.get("/login").status_code == 200  # the login form itself is open
    token = csrf(c)
    wrong = c.post("/login", data={"token": "nope", "csrf": token})
    assert wrong.status_code == 401 and "corroborate_token" not in c.cookies
    login = c.post("/login", data={"token": TOKEN, "csrf": token}, follow_redirects=False)
    assert login.status_code == 303
    assert "httponly" in login.headers["set-cookie"].lower()
    assert c.get("/propositions").status_code == 200  # the login cookie now carries it
    c.app.app.state.pool.close()  # type: ignore[attr-defined]


def test_binding_off_loopback_needs_a_token() -> None:
    assert check_binding("127.0.0.1", None) is not None
    assert check_binding("::1", None) is not None
    with pytest.raises(ServeError, match="--token"):
        check_binding("0.0.0.0", None)
    with pytest.raises(ServeError, match="--token"):
        check_binding("192.0.2.7", None)
    with pytest.raises(ServeError, match="at least 16"):
        check_binding("0.0.0.0", "short")
    assert check_binding("0.0.0.0", TOKEN) is None


def test_serve_refuses_a_public_binding_without_a_token(run: object) -> None:
    result = run("serve", "--host", "0.0.0.0")  # type: ignore[operator]
    assert result.exit_code == 1
    assert "--token" in result.output and "loopback" in result.output


def test_serve_prints_its_url_and_answers(web_kursk: tuple[str, Path]) -> None:
    port = free_port()
    env = {**os.environ, "CORROBORATE_ARCHIVE": str(web_kursk[1])}
    process = subprocess.Popen(
        [sys.executable, "-m", "corroborate", "--db", web_kursk[0], "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/summary") as r:
                    assert r.status == 200 and b'"statements"' in r.read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout:
            process.stdout.close()


def test_serve_on_a_missing_ledger_says_so(tmp_path: Path, run: object) -> None:
    result = run("--db", str(tmp_path / "none.db"), "serve")  # type: ignore[operator]
    assert result.exit_code == 1 and "no ledger" in result.output
