"""The ASGI app: routes, the request's time budget, and errors as JSON.

Starlette rather than FastAPI: ``/extract`` takes three media types as a raw
stream that must be cut off at the size cap while it arrives, which is plain
Starlette either way; FastAPI would add pydantic for validation we need to do
by hand anyway (to answer each mistake with our own reason) and an OpenAPI
generator that cannot describe a body of three media types without
overriding it. The spec is written out in ``openapi.py`` instead, and tested
against the app with schemathesis.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from winnow.serve import intake
from winnow.serve.config import ServeConfig
from winnow.serve.errors import ApiError
from winnow.serve.fetch import FetchPolicy, fetch
from winnow.serve.metrics import CONTENT_TYPE, Metrics
from winnow.serve.openapi import spec
from winnow.serve.pool import WORKER_COMMAND, WorkerDied, WorkerPool
from winnow.serve.worker import Job, Reply

log = logging.getLogger("winnow.serve")

ROUTES = ("/extract", "/healthz", "/metrics", "/openapi.json")


class Service:
    """One running service: its configuration, worker pool and metrics."""

    def __init__(
        self, config: ServeConfig, policy: FetchPolicy, worker_command: Sequence[str]
    ) -> None:
        self.config = config
        self.policy = policy
        self.metrics = Metrics(workers_alive=lambda: self.pool.alive)
        self.pool = WorkerPool(config.workers, worker_command, self.metrics.restarts.inc)
        self.spec = spec(config)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await self.pool.start()
        try:
            yield
        finally:
            await self.pool.close()

    async def extract(self, request: Request) -> Response:
        deadline = asyncio.get_running_loop().time() + self.config.timeout
        try:
            order = await self._order(request, deadline)
            page = order.page
            if page is None:
                page = await self._fetch(order.url, deadline)
            options = replace(order.options, max_depth=self.config.max_depth)
            reply = await self._run(Job(page, order.url, options, order.format), deadline)
        except ApiError as exc:
            return self.error(exc)
        except Exception:  # a bug: say so, and keep serving
            log.exception("unexpected error in /extract")
            return self.error(ApiError(500, "internal", "internal error; see the server log"))
        if reply.internal:
            log.error("extraction failed inside winnow: %s", reply.error)
            return self.error(ApiError(500, "internal", "internal error; see the server log"))
        if not reply.ok:
            return self.error(ApiError(422, "unextractable", reply.error))
        self.metrics.page_done()
        return Response(reply.body, media_type=reply.media_type)

    async def _order(self, request: Request, deadline: float) -> intake.Order:
        content_type = request.headers.get("content-type")
        intake.check_media_type(content_type)
        intake.choose_format(request.query_params.get("format"), request.headers.get("accept"))
        body = await self._read_body(request, deadline)
        query = list(request.query_params.multi_items())
        return intake.order_from(content_type, body, query, request.headers.get("accept"))

    async def _read_body(self, request: Request, deadline: float) -> bytes:
        """The body, refused as soon as it is known to pass the cap or the budget."""
        cap = self.config.max_body
        if intake.declared_over(request.headers.get("content-length"), cap):
            raise _too_large(cap)
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout_at(deadline):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > cap:
                        raise _too_large(cap)
                    chunks.append(chunk)
        except TimeoutError:
            raise ApiError(
                408, "body-timeout", f"the body did not arrive within {self.config.timeout} s"
            ) from None
        except ClientDisconnect:
            raise ApiError(400, "client-disconnect", "the client went away") from None
        return b"".join(chunks)

    async def _fetch(self, url: str | None, deadline: float) -> bytes:
        if not self.config.allow_fetch:
            raise ApiError(
                403,
                "fetch-disabled",
                "this server does not fetch pages (started without --allow-fetch); "
                "send the page as html or text",
            )
        assert url is not None  # an Order without a page always has a url
        try:
            async with asyncio.timeout_at(deadline):
                return await fetch(url, self.policy, self.config.max_body)
        except TimeoutError:
            raise ApiError(504, "fetch-timeout", f"fetching {url} took too long") from None

    async def _run(self, job: Job, deadline: float) -> Reply:
        try:
            async with asyncio.timeout_at(deadline):
                return await self.pool.run(job)
        except TimeoutError:
            raise ApiError(
                504,
                "timeout",
                f"no result within the {self.config.timeout} s budget "
                "(extraction took longer than that, or every worker stayed busy)",
            ) from None
        except WorkerDied as exc:
            log.error("extraction worker died: %s", exc)
            raise ApiError(500, "worker-died", "the extraction worker died on this page") from None

    async def healthz(self, request: Request) -> Response:
        alive = self.pool.alive
        status = "ok" if alive == self.pool.size else "degraded" if alive else "down"
        return JSONResponse(
            {"status": status, "workers": alive, "size": self.pool.size},
            status_code=503 if alive == 0 else 200,
        )

    async def metrics_text(self, request: Request) -> Response:
        return Response(self.metrics.render(), media_type=CONTENT_TYPE)

    async def openapi(self, request: Request) -> Response:
        return JSONResponse(self.spec)

    def error(self, exc: ApiError) -> JSONResponse:
        self.metrics.errors.labels(reason=exc.reason).inc()
        return JSONResponse(exc.to_dict(), status_code=exc.status)

    async def http_error(self, request: Request, exc: Exception) -> Response:
        """Starlette's own refusals (404, 405) in the same JSON shape."""
        assert isinstance(exc, HTTPException)
        reason = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        response = self.error(ApiError(exc.status_code, reason, str(exc.detail)))
        if exc.headers:
            response.headers.update(exc.headers)
        return response


def _too_large(cap: int) -> ApiError:
    return ApiError(413, "body-too-large", f"the body is larger than {cap} bytes")


class MeasureRequests:
    """ASGI middleware: count and time every HTTP request by route and status."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = scope["path"] if scope["path"] in ROUTES else "other"
            self.metrics.answered(route, status, time.perf_counter() - started)


def create_app(
    config: ServeConfig | None = None,
    fetch_policy: FetchPolicy | None = None,
    worker_command: Sequence[str] = WORKER_COMMAND,
) -> Starlette:
    """The service as an ASGI app; the worker pool starts with the app's lifespan.

    ``fetch_policy`` is for tests that must fetch from a loopback server
    (``FetchPolicy(exempt=…)``); ``winnow serve`` always uses the default,
    which refuses every non-global address.
    """
    service = Service(config or ServeConfig(), fetch_policy or FetchPolicy(), worker_command)
    routes = [
        Route("/extract", service.extract, methods=["POST"]),
        Route("/healthz", service.healthz, methods=["GET"]),
        Route("/metrics", service.metrics_text, methods=["GET"]),
        Route("/openapi.json", service.openapi, methods=["GET"]),
    ]
    handlers: dict[Any, Any] = {HTTPException: service.http_error}
    app = Starlette(routes=routes, lifespan=service.lifespan, exception_handlers=handlers)
    app.add_middleware(MeasureRequests, metrics=service.metrics)
    app.state.service = service
    return app
