"""Read ids from query strings, which anyone can type: what is not an id is None, not a 500."""

# The largest value of PostgreSQL's bigint, every table's primary key here.
LARGEST_ID = 2**63 - 1


def parse_id(value: str) -> int | None:
    """Return `value` as a row id, or None when it is not one.

    Only ASCII digits count, as in the URL patterns' <int:pk>: str.isdigit() also accepts "²",
    on which int() fails, and int() reads "١٢" as 12.
    """
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= LARGEST_ID else None


def query_id(request, name: str) -> int | None:
    """Return the query string's `name` as a row id, or None when it is missing or no id."""
    return parse_id(request.GET.get(name, ""))
