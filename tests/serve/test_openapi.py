"""/openapi.json matches what the server does: schemathesis drives a live server with it.

Every documented operation gets generated requests (valid and invalid bodies,
parameters and media types); schemathesis checks that none gets a 5xx, and that
every status, Content-Type and JSON body is one the document allows.

The document is built here with the server's own settings (schemathesis'
fixture loader does not work with pytest 9), and a test checks that the server
serves exactly that document.
"""

from __future__ import annotations

import schemathesis
from conftest import MAX_BODY, TIMEOUT
from hypothesis import HealthCheck, settings
from servers import Server

from winnow.serve.config import ServeConfig
from winnow.serve.openapi import spec

SPEC = spec(ServeConfig(workers=2, timeout=TIMEOUT, max_body=MAX_BODY))
schema = schemathesis.openapi.from_dict(SPEC)


def test_the_server_serves_this_document(server: Server) -> None:
    with server.client() as client:
        assert client.get("/openapi.json").json() == SPEC


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same requests each run: a failure here is reproducible
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_openapi_document(case: schemathesis.Case, server: Server) -> None:
    case.call_and_validate(base_url=server.base)
