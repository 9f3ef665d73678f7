"""The programme's pages, one module per resource. Reading is open to everyone (this is
published programme information); changing needs a role, checked in each view and again
in core20.programme.actions."""
