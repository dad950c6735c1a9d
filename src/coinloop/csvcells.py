"""CSV cells a spreadsheet cannot run: text from a save, a sweep or a persona name that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice against CSV
formula injection: `=HYPERLINK(...)`, `@SUM(...)`, `+cmd|...`). Numbers stay numbers: only text
cells are changed, so a debit of -5 is still -5.
"""

from __future__ import annotations

import csv
from typing import IO, Any, Iterable, Mapping

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """`value`, with a leading ' when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def writer(out: IO[str], **kwargs: Any) -> "Writer":
    return Writer(csv.writer(out, **kwargs))


class Writer:
    """csv.writer whose rows are neutralised cell by cell (the header too)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def writerow(self, row: Iterable[Any]) -> Any:
        return self.inner.writerow([cell(v) for v in row])


class DictWriter(csv.DictWriter):
    """csv.DictWriter whose values are neutralised."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: cell(v) for k, v in rowdict.items()})
