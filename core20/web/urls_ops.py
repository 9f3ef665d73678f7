"""Whether the service is working: /health/ for monitors, /status/ for national admins."""

from django.urls import path

from core20.web import ops

app_name = "ops"

urlpatterns = [
    # Load balancers and uptime monitors; exempt from the HTTPS redirect in production.
    path("health/", ops.health, name="health"),
    path("status/", ops.status, name="status"),
]
