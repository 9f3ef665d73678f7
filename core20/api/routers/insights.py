"""API for insights and the bridge to decision-makers."""

from ninja import Router

router = Router(tags=["Insights and the bridge to decision-makers"])
