"""Community data packs (HTML, PDF, easy read, translated) and open data, at /data-packs/."""

app_name = "datapacks"

urlpatterns: list = []
