"""Operations endpoints: ``GET /metrics`` in the Prometheus text format.

The metrics hold counts and timings only (no names, no payloads); still, keep the path off
the public site (the nginx configuration in docs/deployment.md allows it from the
monitoring network only).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ecabinet.metrics import CONTENT_TYPE, Metrics


async def metrics(request: Request) -> Response:
    registry: Metrics = request.app.state.metrics
    return Response(
        registry.render(), media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"}
    )


routes = [Route("/metrics", metrics, methods=["GET"])]
