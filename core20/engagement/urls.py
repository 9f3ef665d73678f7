"""Community activities connectors record (online and offline), mounted at /activities/."""

app_name = "engagement"

urlpatterns: list = []
