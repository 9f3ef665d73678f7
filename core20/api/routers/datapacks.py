"""API for community data packs and open data."""

from ninja import Router

router = Router(tags=["Community data packs and open data"])
