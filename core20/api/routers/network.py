"""API for connector network."""

from ninja import Router

router = Router(tags=["Connector network"])
