"""Programmes' part of "Download my data" and "Delete my account" (see accounts.privacy)."""

from django.db.models import F

from accounts.privacy import when

from .events.models import Event, EventAttendance
from .models import ProgrammeFollow
from .polls.models import PollBallot


def export(user) -> dict:
    follows = ProgrammeFollow.objects.filter(user=user).select_related("programme").order_by("created_at", "pk")
    ballots = (
        PollBallot.objects.filter(user=user)
        .select_related("poll")
        .prefetch_related("votes__choice")
        .order_by("created_at", "pk")
    )
    bookings = EventAttendance.objects.filter(user=user).select_related("event").order_by("created_at", "pk")
    return {
        "programmes_followed.json": [
            {"programme": follow.programme.name, "since": when(follow.created_at)} for follow in follows
        ],
        "poll_votes.json": [
            {
                "poll": ballot.poll.question,
                "your_answers": [vote.choice.text for vote in ballot.votes.all()],
                "borough_when_you_voted": ballot.borough,
                "voted": when(ballot.created_at),
            }
            for ballot in ballots
        ],
        "events.json": [
            {"event": booking.event.title, "starts": when(booking.event.starts_at), "booked": when(booking.created_at)}
            for booking in bookings
        ],
    }


def erase(*, user, erase_posts: bool) -> None:
    """Follows and event bookings go (places are given back). Poll ballots stay so results do not
    change after the event, but lose the borough, so nothing links them to a place."""
    ProgrammeFollow.objects.filter(user=user).delete()
    bookings = EventAttendance.objects.filter(user=user)
    Event.objects.filter(pk__in=bookings.values("event")).update(attendee_count=F("attendee_count") - 1)
    bookings.delete()
    PollBallot.objects.filter(user=user).update(borough="")
