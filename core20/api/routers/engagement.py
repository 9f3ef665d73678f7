"""API for community activities."""

from ninja import Router

router = Router(tags=["Community activities"])
