"""Insights, routing to decision-makers, responses, actions, feedback and "you said, we did",
mounted at /insights/."""

app_name = "insights"

urlpatterns: list = []
