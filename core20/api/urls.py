"""The JSON API, mounted by core20/urls.py at /api/v1/.

Docs at /api/v1/docs, the OpenAPI document at /api/v1/openapi.json. Reads are open to
anonymous callers (what the public pages show), to personal API tokens and to the
signed-in browser session; see core20.api.auth."""

from core20.api.auth import READ_AUTH
from core20.api.base import CoreApi
from core20.api.docs import OfflineSwagger
from core20.api.errors import install_error_handlers
from core20.api.routers import organisations, programmes, sites

DESCRIPTION = """
Read the Core20PLUS Connectors programme's structure: programmes, waves, sites and the
organisations that work with them.

**Authentication.** Send a personal API token as `Authorization: Bearer <token>` (create
one on your account's API tokens page). The API then acts as you: you see what you would
see on the site's pages. Without a token you see the published programme information.
A revoked or malformed token is refused with 401 rather than treated as anonymous.

**Lists** are paginated with `limit` (1 to 200, default 50) and `offset`, and return
`{"items": [...], "count": N}` in a stable order.

**Internal fields** are `null` unless you may see them, as on the pages: a site's
`internal_notes` and `contact_email` for national staff and the site's own team, an
organisation's `contact_email` for national staff.

**Errors** are JSON with a `detail` message and the HTTP status: 401 (bad token), 403,
404, 405, 422 (invalid parameters, with `errors: [{field, message, location}]`) and 500.
"""

api = CoreApi(
    title="Core20 Connect API",
    version="1.0.0",
    description=DESCRIPTION.strip(),
    urls_namespace="api-1.0.0",
    auth=READ_AUTH,
    docs=OfflineSwagger(),
)
install_error_handlers(api)

api.add_router("", programmes.router)
api.add_router("", sites.router)
api.add_router("", organisations.router)
api.add_router("", "core20.api.routers.places.router")
api.add_router("", "core20.api.routers.network.router")
api.add_router("", "core20.api.routers.hours.router")
api.add_router("", "core20.api.routers.grants.router")
api.add_router("", "core20.api.routers.directory.router")
api.add_router("", "core20.api.routers.engagement.router")
api.add_router("", "core20.api.routers.insights.router")
api.add_router("", "core20.api.routers.outcomes.router")
api.add_router("", "core20.api.routers.datapacks.router")
