"""API for outcomes and evaluation."""

from ninja import Router

router = Router(tags=["Outcomes and evaluation"])
