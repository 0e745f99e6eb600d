"""The URL converter for a version date (``2018-10-26``), registered once for the pages and the API."""

from __future__ import annotations

import datetime as dt

from django.urls import register_converter


class VersionDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)  # ValueError (2018-02-30) makes the URL not match: 404

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)


LAWDATE = "lawdate"
register_converter(VersionDateConverter, LAWDATE)
