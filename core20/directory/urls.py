"""Local services and referral routes (Open Referral UK), mounted at /directory/."""

app_name = "directory"

urlpatterns: list = []
