from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from talkhealth import timefmt

NOW = datetime(2017, 6, 1, 12, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(seconds=10), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(hours=3), "3 hours ago"),
        (timedelta(days=1), "1 day ago"),
        (timedelta(days=15), "2 weeks ago"),
        (timedelta(days=65), "2 months ago"),
        (timedelta(days=740), "2 years ago"),
    ],
)
def test_relative_time_reads_like_the_original_site(delta, words):
    assert timefmt.relative(NOW - delta, now=NOW) == words


def test_exact_time_is_london_local_with_am_pm():
    assert timefmt.exact(datetime(2015, 5, 22, 14, 29, tzinfo=ZoneInfo("UTC"))) == "22 May 2015, 3:29pm"
    assert timefmt.exact(datetime(2015, 1, 2, 0, 5, tzinfo=ZoneInfo("UTC"))) == "2 January 2015, 12:05am"


def test_timestamp_tag_gives_a_time_element_with_the_exact_moment():
    value = datetime(2015, 5, 22, 14, 29, tzinfo=ZoneInfo("UTC"))
    html = Template("{% timestamp value %}").render(Context({"value": value}))
    assert html.startswith('<time datetime="2015-05-22T14:29:00+00:00" title="22 May 2015, 3:29pm">')
    assert "ago" in html and "(22 May 2015, 3:29pm)" in html
