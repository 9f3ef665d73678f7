"""API for service directory."""

from ninja import Router

router = Router(tags=["Service directory"])
