"""The API's view of the newsroom's releases.json."""

from __future__ import annotations

import json
import time

from chalicelib.adapters.releases import ReleaseIndex
from chalicelib.domain.clock import WIB


def index_file(tmp_path, releases) -> str:
    path = tmp_path / "releases.json"
    path.write_text(json.dumps({"site_name": "Newsroom", "categories": ["Kesehatan"], "releases": releases}))
    return path.as_uri()


def test_the_first_read_loads_even_when_the_machine_has_just_started(tmp_path, monkeypatch):
    # A new Lambda sandbox (or a machine up for less than max_age) has a monotonic clock near zero.
    monkeypatch.setattr(time, "monotonic", lambda: 5.0)
    index = ReleaseIndex(index_file(tmp_path, []))
    assert index.categories() == ["Kesehatan"] and index.site_name() == "Newsroom"


def test_a_bare_date_from_an_older_build_is_the_start_of_that_day_in_wib(tmp_path):
    index = ReleaseIndex(index_file(tmp_path, [{"slug": "a", "title": "A", "url": "http://x/a/", "date": "2026-10-15"}]))
    (release,) = index.all()
    assert release.published_at.tzinfo is not None
    assert release.published_at.astimezone(WIB).isoformat() == "2026-10-15T00:00:00+07:00"
