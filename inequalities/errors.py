"""Errors raised for bad input, worded for the analyst who supplied it."""

from collections.abc import Callable, Iterable, Sequence


class InputError(ValueError):
    """The caller's data or options are invalid.

    The message names what is wrong and where: the column, and the offending rows
    (counted from 1 at the first data row under the header: line 2 of a CSV file) or groups.
    The CLI prints it without a traceback.

    A message about options names them in the caller's terms. Give ``options``, the keyword
    arguments at fault, and write the message as a template with a ``{keyword}`` field for
    each (other fields come from ``values``)::

        InputError("Option {draws} must be at least 1,000, not {given!r}.",
                   options=["draws"], given=draws)

    ``str(error)`` names them as Python keywords ("Option draws must ..."); a front end such
    as the CLI calls ``error.worded(name_of)`` to name them its own way ("Option --draws
    must ..."). Without ``options`` the message is plain text, used as it is.
    """

    def __init__(self, message: str, *, options: Sequence[str] = (), **values: object) -> None:
        self.template = message
        self.options = tuple(options)
        self.values = values
        super().__init__(self.worded())

    def worded(self, name_of: Callable[[str], str] | None = None) -> str:
        """The message with each option named by ``name_of(keyword)`` (default: the keyword)."""
        if not self.options:
            return self.template
        names = {option: name_of(option) if name_of else option for option in self.options}
        return self.template.format(**self.values, **names)


def describe_rows(positions: Iterable[int], *, limit: int = 10) -> str:
    """'rows 3, 7 and 12' for 0-based positions; lists at most ``limit`` of them."""
    rows = [int(p) + 1 for p in positions]
    if not rows:
        return "no rows"
    shown = ", ".join(str(r) for r in rows[:limit])
    if len(rows) > limit:
        return f"rows {shown} and {len(rows) - limit} more"
    if len(rows) == 1:
        return f"row {rows[0]}"
    head, _, last = shown.rpartition(", ")
    return f"rows {head} and {last}"


def describe_groups(groups: Sequence[object], *, limit: int = 10) -> str:
    """'groups ('E38000001',) and ('E38000002',)': names the groups a problem was found in."""
    shown = [repr(g) for g in groups[:limit]]
    more = f" and {len(groups) - limit} more" if len(groups) > limit else ""
    return ("group " if len(groups) == 1 else "groups ") + ", ".join(shown) + more
