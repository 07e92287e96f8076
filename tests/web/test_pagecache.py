"""The page cache's key holds the query names a page reads, learnt while its view runs."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from berekraft.web.pagecache import QueryNames, ReadQuery, only


def test_a_read_query_notes_the_names_read() -> None:
    query = ReadQuery("year=2022&junk=1&m=a&m=b")
    assert query.get("year") == "2022"
    assert query.getlist("m") == ["a", "b"]
    assert "score" not in query
    assert query.stop() == frozenset({"year", "m", "score"})
    query.get("junk")  # after stop(): not noted
    assert query.read == {"year", "m", "score"}


@pytest.mark.parametrize("read_all", [list, lambda q: q.urlencode(), lambda q: dict(q.lists()), len])
def test_reading_every_name_is_noted_as_everything(read_all: object) -> None:
    query = ReadQuery("year=2022&junk=1")
    read_all(query)  # type: ignore[operator]
    assert query.stop() is None


def test_junk_names_are_not_part_of_the_key() -> None:
    names = QueryNames()
    assert names.key("home", QueryDict("year=2022")) is None  # not learnt yet
    names.learn("home", frozenset({"year", "score"}))
    one = names.key("home", QueryDict("year=2022&junk=1"))
    assert one == names.key("home", QueryDict("zz=9&year=2022&junk=2"))
    assert one != names.key("home", QueryDict("year=2021"))
    assert names.key("home", QueryDict("score=x&year=2022")) != one


def test_a_name_read_later_widens_the_key() -> None:
    """A view that reads ``group`` only once ``series`` is given: both end up in the key."""
    names = QueryNames()
    names.learn("compare", frozenset({"series"}))
    names.learn("compare", frozenset({"series", "group"}))
    assert names.key("compare", QueryDict("series=a&group=x")) != names.key("compare", QueryDict("series=a"))


def test_a_view_that_reads_everything_keys_on_the_whole_sorted_query() -> None:
    names = QueryNames()
    names.learn("x", frozenset({"a"}))
    names.learn("x", None)
    names.learn("x", frozenset({"a"}))  # stays "everything"
    assert names.key("x", QueryDict("b=2&a=1")) == names.key("x", QueryDict("a=1&b=2"))
    assert names.key("x", QueryDict("a=1&b=2")) != names.key("x", QueryDict("a=1&b=3"))


def test_only_keeps_the_names_read_in_sorted_order() -> None:
    assert only(QueryDict("z=1&year=2022&junk=x&m=a&m=b"), frozenset({"year", "m", "gone"})).urlencode() == (
        "m=a&m=b&year=2022"
    )
