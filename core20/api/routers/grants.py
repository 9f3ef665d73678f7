"""API for micro-grants."""

from ninja import Router

router = Router(tags=["Micro-grants"])
