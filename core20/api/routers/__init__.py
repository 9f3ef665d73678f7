"""One router per resource; core20.api.urls mounts them."""
