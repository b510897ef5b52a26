"""``GET /api/checkpoints/key``: the public key that checks every checkpoint's signature.

Public on purpose: an auditor pins it (compare with ``ecabinet audit key`` on the server)
and any tablet checks the signed heads it holds with it (docs/protocol.md, Checkpoints).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ecabinet.checkpoints import signing
from ecabinet.checkpoints.anchor import Anchor


async def checkpoint_key(request: Request) -> Response:
    anchor: Anchor = request.app.state.checkpoints
    key = anchor.signer.public_key
    return JSONResponse(
        {
            "algorithm": "Ed25519",
            "public_key": signing.public_key_text(key),
            "key_id": signing.key_id(key),
        }
    )


routes = [Route("/api/checkpoints/key", checkpoint_key, methods=["GET"])]
