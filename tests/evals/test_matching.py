"""The DESIGN.md matching rules for must_mention, must_not_mention and forbidden."""

import pytest

from evals.matching import first_match, mentions


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Webhooks are delayed", "webhook"),
        ("All WEBHOOK deliveries", "webhook"),
        ("We have resolved the issue", "Resolved"),
        ("Affected statuses", "status"),
        ("4% of requests failed", "4%"),
        ("errors on auth-gw-03.", "auth-gw-03"),
        ("SSOでauth-gw-03が落ちた", "auth-gw-03"),
        ("APIエラーが発生しています", "API"),
        ("全角のＡＰＩ表記", "api"),
        ("３０分で直るはず", "30分"),
        ("現在、通知の遅延を調査しています", "調査"),
        ("プッシュ通知が遅れています", "プッシュ"),
        ("fixed in 10  minutes", "10 minutes"),
        ("see INC-4411 for details", "inc-4411"),
    ],
)
def test_term_is_mentioned(text: str, term: str) -> None:
    assert mentions(text, term)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("the same error", "sam"),
        ("14% of requests failed", "4%"),
        ("this has been fixed", "fix"),
        ("we resolved it", "resolve"),
        ("in 10 minutes", "10 min"),
        ("app-server-1234 is fine", "app-server-123"),
        ("notifications", "notification-router"),
        ("調査中です", "復旧"),
        ("webhooking", "webhook"),
    ],
)
def test_term_is_not_mentioned(text: str, term: str) -> None:
    assert not mentions(text, term)


def test_plural_allowed_only_as_s_or_es() -> None:
    assert mentions("two boxes", "box")
    assert mentions("SMSes", "SMS")
    assert not mentions("boxer", "box")


def test_empty_term_is_rejected() -> None:
    with pytest.raises(ValueError, match="empty"):
        mentions("anything", "  ")


def test_first_match_returns_first_term_in_order() -> None:
    text = "SMS and push notifications are delayed"
    assert first_match(text, ["email", "push", "SMS"]) == "push"


def test_first_match_returns_none_without_match() -> None:
    assert first_match("Email is fine", ["SMS", "text message"]) is None
