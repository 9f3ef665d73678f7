"""Logic models, indicators, indicator data, dashboards, trajectories and evaluation, mounted at
/outcomes/."""

app_name = "outcomes"

urlpatterns: list = []
