"""Time and identifiers shared by every service.

Times are stored in UTC; calendar dates that people mean (validity ends,
"today" for date checks, the daily job) are in WIB. WIB has no daylight
saving, so a fixed offset is exact and needs no tz database on Lambda.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Callable

from ulid import ULID

WIB = timezone(timedelta(hours=7), "WIB")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Now, to the millisecond: what is stored keeps milliseconds, so an object
    returned right after a write equals the one read back later."""
    now = datetime.now(timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def today_wib(now: datetime) -> date:
    return now.astimezone(WIB).date()


_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember")


def tanggal(day: date) -> str:
    """``26 November 2026``, as Babel's ``format_date(d, "d MMMM y", locale="id")``
    (by hand, so the Lambda package does not carry Babel)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def new_id() -> str:
    """A ULID: unique and sortable by creation time."""
    return str(ULID())
