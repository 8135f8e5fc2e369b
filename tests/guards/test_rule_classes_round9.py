"""The classes of English ETA look-alike added in round 9 of the guards (see docs/guards.md),
each beside the ETA it must not swallow. A few cases per class: the labelled sets measure the rest.
"""

from __future__ import annotations

import pytest

from guards import check_message


def flagged(text: str, category: str, channel: str = "chat") -> list[str]:
    report = check_message(text, channel=channel, locale="en")
    return [violation.text for violation in report.violations if violation.category == category]


@pytest.mark.parametrize(
    "text",
    [
        # a fix told as done at a clock time, whatever the learned model scores
        "Good news: engineering found the fault and deployed a fix at 09:40.",
        "We rolled back the release around 16:10 UTC and card payments are healthy.",
        # an update that is sent, with its time
        "Our next update will be sent by email at 18:00 UTC.",
        # money owed or paid on its usual schedule
        "Any fees taken in error will be credited back by 12 June.",
        "Your salary transfer will go out on Friday as usual.",
        "Funds reach most accounts within 2 days, depending on your bank.",
        # the customer's own order, deadline or a support desk open late
        "Your order was dispatched today and is due with you on Monday.",
        "Timesheets must be submitted by Thursday at noon to be paid this month.",
        "Our agents will be on live chat until 11pm tonight if you need help.",
        "I'll write to you again tomorrow with what the team finds.",
    ],
)
def test_eta_look_alikes_stay_clean(text: str) -> None:
    assert not flagged(text, "eta")


@pytest.mark.parametrize(
    "text",
    [
        # the same shapes, promising when service comes back
        "We deployed a fix and expect payments to work again by 09:40.",
        "The rollback should be finished around 16:10 UTC.",
        "Our next update will follow once the fix is out, which we expect by 18:00 UTC.",
        "Card payments will be working as normal again by 12:30.",
        "Payouts delayed today will resume by 5pm once the fix is live.",
        "The team expects the site to be back by midnight.",
    ],
)
def test_eta_beside_the_look_alikes_is_caught(text: str) -> None:
    assert flagged(text, "eta")


@pytest.mark.parametrize(
    "text",
    [
        # a role that ends the salutation line is not followed by a name
        "Dear workspace administrator,\n\nAs promised, here is what happened on Tuesday.",
        "Hi admins,\n\nFollowing this morning's delays, the incident report is now online.",
        # ordinary hyphenated English beside a noun systems also use
        "The fix will be live before the 3pm collection cut-off.",
    ],
)
def test_internal_detail_look_alikes_stay_clean(text: str) -> None:
    assert flagged(text, "internal_detail", "email") == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Our on-call engineer, Dana Whitfield, restarted the sync job.", "Dana Whitfield"),
        ("Thanks to our administrator Kofi for spotting it.", "Kofi"),
    ],
)
def test_staff_beside_their_role_are_still_caught(text: str, span: str) -> None:
    assert span in " ".join(flagged(text, "internal_detail", "email"))
