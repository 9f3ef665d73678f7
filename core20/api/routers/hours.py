"""API for hours, expenses and payments."""

from ninja import Router

router = Router(tags=["Hours, expenses and payments"])
