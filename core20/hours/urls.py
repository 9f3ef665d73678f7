"""Connectors' volunteer hours, time credits, expense claims and payments, mounted at /hours/."""

app_name = "hours"

urlpatterns: list = []
