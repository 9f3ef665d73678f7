"""Connectors: records, recruitment, checks, training, support and development, mounted at
/network/."""

app_name = "network"

urlpatterns: list = []
