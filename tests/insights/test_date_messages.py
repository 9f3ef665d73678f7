"""Insight forms say what a date looks like the way the date pickers show it (27/3/2025),
as the other forms do, and take a date typed that way."""

import datetime

from core20.insights.forms import FeedbackForm


def test_a_date_that_is_not_real_says_how_to_write_one():
    form = FeedbackForm(data={"given_on": "31/2/2025", "channel": "newsletter", "summary": "x"})
    assert form.errors["given_on"] == ["Enter a real date, like 27/3/2025"]


def test_a_date_written_as_the_message_shows_is_taken():
    form = FeedbackForm(data={"given_on": "27/3/2025", "channel": "newsletter", "summary": "x"})
    assert "given_on" not in form.errors
    assert form.cleaned_data["given_on"] == datetime.date(2025, 3, 27)
