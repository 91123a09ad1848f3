"""Lists that come in pages: how many a page holds, and the cursor a page hands out for the next one.

A cursor is the sort key of the page's last item (what the store resumes below or after), URL-safe base64 so
that it travels in a query string as it is. Each list says what its keys look like; anything else is refused.
"""

from __future__ import annotations

import base64
import re

from ..adapters import schema
from ..errors import FieldError, validation_failed

LIST_PAGE, LIST_PAGE_MAX = 50, 200  # items per page of a list: by default, and at most
_TIME_AND_ID = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9A-Z]{26}"
# Each list's keys, by the way it is read: a company's orders (by issue time), the office's (by last change); a
# company's invoices (by submission), the office's (status by status: ``<STATUS>|<changed_at>#<id>``).
COMPANY_ORDER_KEYS = re.compile(re.escape(schema.ORDER_OF_COMPANY_PREFIX) + _TIME_AND_ID)
OFFICE_ORDER_KEYS = re.compile(_TIME_AND_ID)
COMPANY_INVOICE_KEYS = re.compile(re.escape(schema.INVOICE_OF_COMPANY_PREFIX) + _TIME_AND_ID)


def office_invoice_keys(statuses: list[str]) -> re.Pattern:
    return re.compile(rf"(?:{'|'.join(map(re.escape, statuses))})\|{_TIME_AND_ID}")


def cursor_of(key: str | None) -> str | None:
    return base64.urlsafe_b64encode(key.encode("ascii")).decode("ascii").rstrip("=") if key else None


def key_of(cursor: str | None, keys: re.Pattern) -> str | None:
    """A cursor back to its sort key; one that no page of this very list (as asked now) could have handed out is
    refused at ``after``."""
    if cursor is None:
        return None
    try:
        key = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii") if len(cursor) <= 120 else ""
    except (ValueError, UnicodeDecodeError):
        key = ""
    if not keys.fullmatch(key):
        raise validation_failed([FieldError("after", "invalid_cursor",
                                            "Penanda halaman tidak valid: pakai nilai `next` jawaban sebelumnya.")])
    return key
