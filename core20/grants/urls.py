"""Micro-grants for community groups: funds, applications, assessment, decisions, payments, outcome
reports, mounted at /grants/."""

app_name = "grants"

urlpatterns: list = []
