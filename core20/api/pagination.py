"""limit/offset pagination with a bounded page size: ``{"items": [...], "count": N}``."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class ApiPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"How many items (1 to {MAX_LIMIT})"
        )
        offset: int = Field(0, ge=0, description="How many items to skip")

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
