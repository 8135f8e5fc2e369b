"""Each scorer on hand-made English and Japanese drafts: what passes, what fails."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from evals.dataset import Expectation
from evals.scorers import (
    SUMMARY_KEYS,
    CaseScores,
    failed_case,
    false_claims,
    is_blocked,
    leaked_terms,
    length_ok,
    mention_recall,
    score_draft,
    score_grouping,
    similarities,
    stated_statuses,
    status_correct,
    summarize,
)

EN = Expectation(
    status="investigating",
    must_mention=[["SMS", "text message"], ["push"]],
    must_not_mention=["resolved", "fixed"],
    forbidden=["notif-sms-worker", "kafka", "10 min"],
)
JA = Expectation(
    status="identified",
    must_mention=[["プッシュ通知"], ["SMS"]],
    must_not_mention=["解決"],
    forbidden=["notify-hub", "15分"],
)


def test_leak_found_for_internal_name() -> None:
    text = "SMS are delayed because notif-sms-workers are stuck on Kafka."
    assert leaked_terms(text, EN) == ["notif-sms-worker", "kafka"]


def test_no_leak_in_customer_wording() -> None:
    assert leaked_terms("SMS and push notifications are delayed by about 10 minutes.", EN) == []


def test_leak_found_in_japanese() -> None:
    assert leaked_terms("notify-hub の不具合で、15分ほどで直ります。", JA) == ["notify-hub", "15分"]


def test_false_claim_found() -> None:
    assert false_claims("The issue is fixed.", EN) == ["fixed"]
    assert false_claims("通知の遅延は解決しました。", JA) == ["解決"]


def test_false_claim_needs_whole_word() -> None:
    assert false_claims("We have not yet found a fix.", EN) == []


def test_mention_recall_counts_groups() -> None:
    assert mention_recall("Text messages and push alerts are late.", EN) == 1.0
    assert mention_recall("Text messages are late.", EN) == 0.5
    assert mention_recall("プッシュ通知が遅れています。", JA) == 0.5
    assert mention_recall("Anything", Expectation(status="resolved")) == 1.0


@pytest.mark.parametrize(
    ("text", "locale", "status"),
    [
        ("We are investigating delays to SMS.", "en", "investigating"),
        ("We are looking into delays to SMS.", "en", "investigating"),
        ("We have identified the cause and are working on a fix.", "en", "identified"),
        ("A fix has been deployed and we are monitoring the results.", "en", "monitoring"),
        ("We identified the cause; we are now monitoring.", "en", "monitoring"),
        ("This incident has been resolved.", "en", "resolved"),
        ("現在、通知の遅延について調査しています。", "ja", "investigating"),
        ("通知の遅延について原因を特定しました。", "ja", "identified"),
        ("修正を適用し、現在状況を監視しています。", "ja", "monitoring"),
        ("通知の遅延は解決しました。", "ja", "resolved"),
        ("システムは復旧しました。", "ja", "resolved"),
    ],
)
def test_status_stated(text: str, locale: str, status: Any) -> None:
    assert status_correct(text, locale, status)


@pytest.mark.parametrize(
    ("text", "locale", "status"),
    [
        ("SMS are delayed.", "en", "investigating"),
        ("We are investigating; the issue is resolved for some users.", "en", "investigating"),
        ("We are monitoring the fix.", "en", "identified"),
        ("通知が遅れています。", "ja", "investigating"),
        ("原因を特定し、解決しました。", "ja", "identified"),
    ],
)
def test_status_missing_or_later_claimed(text: str, locale: str, status: Any) -> None:
    assert not status_correct(text, locale, status)


def test_stated_statuses_in_lifecycle_order() -> None:
    text = "Resolved. We had identified the cause while investigating."
    assert stated_statuses(text, "en") == ["investigating", "identified", "resolved"]


def test_blocked_by_blocking_violation() -> None:
    report = {"blocking": False, "violations": [{"category": "eta", "blocking": True}]}
    assert is_blocked(report)
    assert is_blocked({"blocking": True, "violations": []})


def test_not_blocked_by_warnings() -> None:
    report = {"blocking": False, "violations": [{"category": "ungrounded", "blocking": False}]}
    assert not is_blocked(report)
    assert not is_blocked({})


def test_length_ok_per_channel() -> None:
    assert length_ok("a" * 280, "social")
    assert not length_ok("a" * 281, "social")
    assert length_ok("a" * 1500, "chat")
    assert not length_ok("a" * 2001, "statuspage")


def test_social_length_counts_cjk_twice() -> None:
    assert length_ok("遅" * 140, "social")
    assert not length_ok("遅" * 141, "social")
    assert length_ok("遅" * 141, "chat")


def test_social_length_counts_urls_as_23() -> None:
    url = "https://status.example.com/incidents/" + "x" * 100
    assert length_ok("a" * 260 + " " + url, "social") is False
    assert length_ok("a" * 200 + " " + url, "social")


class KeywordEmbedder:
    """A tiny deterministic embedder: counts a few words."""

    words = ("sms", "push", "email", "resolved")

    def encode(self, texts: Sequence[str]) -> Any:
        return np.array([[t.lower().count(w) for w in self.words] for t in texts], dtype=float)


def test_similarity_high_for_same_content() -> None:
    same, other = similarities(
        KeywordEmbedder(), [("SMS and push", "push and SMS"), ("email", "SMS resolved")]
    )
    assert same == pytest.approx(1.0)
    assert other == pytest.approx(0.0)


def _case(**changes: Any) -> CaseScores:
    values: dict[str, Any] = {
        "leak": False,
        "blocked": False,
        "status_ok": True,
        "mention_recall": 1.0,
        "false_claim": False,
        "length_ok": True,
        "fallback": False,
        "latency_ms": 100.0,
        "similarity": 0.8,
    }
    values.update(changes)
    return CaseScores(**values)


def test_summary_has_exactly_the_score_names() -> None:
    assert tuple(summarize([_case()])) == SUMMARY_KEYS


def test_summary_rates_and_latency_percentiles() -> None:
    cases = [_case(latency_ms=float(ms)) for ms in range(1, 101)]
    cases[0] = _case(leak=True, status_ok=False, latency_ms=1.0, similarity=None)
    summary = summarize(cases)
    assert summary["leak_rate"] == 0.01
    assert summary["status_accuracy"] == 0.99
    assert summary["similarity"] == 0.8
    assert summary["latency_ms_p50"] == 50.5
    assert summary["latency_ms_p95"] == pytest.approx(95.05)


def test_failed_case_fails_what_a_draft_must_do() -> None:
    summary = summarize([failed_case()])
    assert summary["status_accuracy"] == 0.0
    assert summary["fallback_rate"] == 1.0
    assert summary["latency_ms_p50"] is None


def test_score_draft_of_a_good_draft() -> None:
    scores = score_draft(
        text="We are investigating delays to SMS and push notifications.",
        locale="en",
        channel="statuspage",
        expect=EN,
        guard_report={"blocking": False, "violations": []},
        fallback_used=False,
        latency_ms=12.0,
    )
    assert (scores.leak, scores.blocked, scores.false_claim) == (False, False, False)
    assert scores.status_ok
    assert scores.length_ok
    assert scores.mention_recall == 1.0


def test_grouping_perfect_and_noise() -> None:
    scores = score_grouping(["sms", "sms", "push", None, None], ["a", "a", "b", None, "a"])
    assert scores.ari == pytest.approx(1.0)
    assert scores.nmi == pytest.approx(1.0)
    assert scores.noise_rate == 0.5


def test_grouping_unassigned_reports_are_alone() -> None:
    scores = score_grouping(["sms", "sms", "push"], [None, None, None])
    assert scores.ari is not None
    assert scores.ari <= 0.0
    assert scores.noise_rate is None
