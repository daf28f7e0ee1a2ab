"""The JSON API fuzzed from its own OpenAPI description (schemathesis): whatever parameters
and bodies the description allows — and the odd values it generates around them — the answer
is never a server error, and errors keep the one envelope."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from corroborate.web import create_app
from webkit import build_kursk

CSRF = "fuzz-csrf-token"


@pytest.fixture(scope="module")
def web_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("fuzz")
    location = build_kursk(str(folder / "k.db"), folder / "archive")
    app = create_app(location, folder / "archive", allowed_hosts={"testserver"})
    yield schemathesis.openapi.from_asgi("/api/openapi.json", app)
    app.app.state.pool.close()  # type: ignore[attr-defined]



def _envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx is the one error envelope."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return None


def test_api_never_answers_a_server_error(web_schema: Any) -> None:
    """Each operation of the description, 25 generated cases each (hypothesis drives the
    generation; schemathesis sends them through the ASGI app)."""
    operations = [result.ok() for result in web_schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            case.call_and_validate(
                headers={"X-CSRF-Token": CSRF, "Cookie": f"corroborate_csrf={CSRF}"},
                checks=[not_a_server_error, _envelope])

        run()


def test_the_description_lists_every_api_route(web_schema: Any) -> None:
    from corroborate.web.routes_api import ROUTES

    described = set(web_schema.raw_schema["paths"])
    for route in ROUTES:
        assert route.path.replace(":path", "") in described, route.path
    assert Path(__file__).exists()
