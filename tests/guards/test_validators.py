"""Pass, fail and fix behaviour of each validator."""

from __future__ import annotations

import pytest
from guardrails.validator_base import FailResult, PassResult

from guards import CatalogEntry, GuardContext, check_message
from guards.validators import (
    ChannelLength,
    Grounded,
    HasImpact,
    HasStatus,
    NoEta,
    NoInternalDetail,
    NoPii,
    NoPlaceholder,
    NoSpeculation,
)


def test_eta_passes_next_update_promise() -> None:
    result = NoEta().validate("We are investigating. Next update in 30 minutes.", {})
    assert isinstance(result, PassResult)


def test_eta_fails_on_restoration_promise() -> None:
    result = NoEta().validate("We expect the issue to be resolved within 10 minutes.", {})
    assert isinstance(result, FailResult)


def test_eta_fix_replaces_sentence_with_next_update_promise() -> None:
    text = "Logins fail. Service will be restored in 15 minutes."
    result = NoEta().validate(text, {})
    assert isinstance(result, FailResult)
    assert result.fix_value == "Logins fail. We will provide another update within 30 minutes."


@pytest.mark.parametrize(
    "text",
    [
        "Notifications have been delayed since 14:05 UTC.",
        "Messages were delayed by up to 12 minutes.",
        "We do not have an ETA for a fix at this time.",
        "The issue recovered within 10 minutes of the rollback.",
    ],
)
def test_eta_ignores_past_times_and_missing_eta(text: str) -> None:
    assert isinstance(NoEta().validate(text, {}), PassResult)


def test_eta_japanese() -> None:
    assert isinstance(NoEta(locale="ja").validate("15時までに復旧する見込みです。", {}), FailResult)
    assert isinstance(NoEta(locale="ja").validate("次回の更新は30分後です。", {}), PassResult)


def test_speculation_passes_hedged_impact() -> None:
    assert isinstance(
        NoSpeculation().validate("Some customers may experience delays.", {}), PassResult
    )
    ja = NoSpeculation(locale="ja").validate("遅れて届く場合があります。", {})
    assert isinstance(ja, PassResult)


def test_speculation_fails_on_guess_about_cause() -> None:
    result = NoSpeculation().validate("We believe this was caused by a network issue.", {})
    assert isinstance(result, FailResult)
    assert result.fix_value == "We believe this was caused by a network issue."


def test_internal_detail_passes_public_names() -> None:
    text = "Windows 11 and iOS 17 users in the EU-West region see HTTP 500 errors."
    assert isinstance(NoInternalDetail().validate(text, {}), PassResult)


def test_internal_detail_fails_on_host_ticket_and_channel() -> None:
    text = "app-server-123 failed, see JIRA-1234 in #inc-123"
    result = NoInternalDetail().validate(text, {})
    assert isinstance(result, FailResult)
    assert [text[span.start : span.end] for span in result.error_spans] == [
        "app-server-123",
        "JIRA-1234",
        "#inc-123",
    ]


def test_internal_detail_fixes_catalog_alias_to_public_name() -> None:
    context = GuardContext(
        catalog=(CatalogEntry(component="Notifications", internal=("notif-out",)),)
    )
    result = NoInternalDetail(context=context).validate("Delays in notif-out.", {})
    assert isinstance(result, FailResult)
    assert result.fix_value == "Delays in Notifications."


def test_internal_detail_flags_people_from_context() -> None:
    context = GuardContext(people=("alice",))
    report = check_message("Alice restarted it.", channel="chat", locale="en", context=context)
    assert [(v.category, v.text) for v in report.violations if v.blocking] == [
        ("internal_detail", "Alice")
    ]


def test_pii_flags_email_phone_and_customer() -> None:
    context = GuardContext(customers=("Acme Corp",))
    text = "Acme Corp (bob@gmail.com, +1 415-555-0134) reported it."
    result = NoPii(context=context).validate(text, {})
    assert isinstance(result, FailResult)
    assert [text[s.start : s.end] for s in result.error_spans] == [
        "Acme Corp",
        "bob@gmail.com",
        "+1 415-555-0134",
    ]


def test_pii_allows_role_mailbox() -> None:
    assert isinstance(NoPii().validate("Contact support@example.com.", {}), PassResult)


def test_pii_fix_removes_personal_data() -> None:
    result = NoPii().validate("Mail bob@gmail.com now", {})
    assert isinstance(result, FailResult)
    assert result.fix_value == "Mail  now"


def test_placeholder_pass_and_fail() -> None:
    assert isinstance(NoPlaceholder().validate("[RESOLVED] All good.", {}), PassResult)
    result = NoPlaceholder().validate("{{component}} is down for <SOME/ALL> users.", {})
    assert isinstance(result, FailResult)
    assert len(result.error_spans) == 2


def test_length_social_counts_cjk_double_and_urls_as_23() -> None:
    validator = ChannelLength(locale="ja", channel="social")
    assert isinstance(validator.validate("あ" * 140, {}), PassResult)
    assert isinstance(validator.validate("あ" * 141, {}), FailResult)
    url = "https://status.example.com/" + "x" * 300
    assert isinstance(ChannelLength(channel="social").validate(url, {}), PassResult)


def test_length_fix_drops_trailing_sentences() -> None:
    text = "A" * 270 + ". " + "B" * 20 + "."
    result = ChannelLength(channel="social").validate(text, {})
    assert isinstance(result, FailResult)
    assert result.fix_value == "A" * 270 + "."


def test_missing_status_and_impact() -> None:
    assert isinstance(HasStatus().validate("", {}), FailResult)
    assert isinstance(HasImpact().validate("", {}), FailResult)
    text = "We are investigating delays to SMS."
    assert isinstance(HasStatus().validate(text, {}), PassResult)
    assert isinstance(HasImpact().validate(text, {}), PassResult)


def test_ungrounded_flags_unsupported_number() -> None:
    context = GuardContext(grounding=("customers report SMS delayed ~10 min",))
    validator = Grounded(context=context)
    assert isinstance(validator.validate("SMS are delayed by 10 minutes.", {}), PassResult)
    result = validator.validate("SMS are delayed by 45 minutes.", {})
    assert isinstance(result, FailResult)
    assert [span.start for span in result.error_spans] == [19]


@pytest.mark.parametrize(
    "text",
    ["アップロードが遅くなる可能性があります。", "再ログインが必要になる可能性があります。"],
)
def test_japanese_hedged_impact_is_not_speculation(text: str) -> None:
    assert isinstance(NoSpeculation(locale="ja").validate(text, {}), PassResult)


def test_japanese_cause_with_possibility_is_speculation() -> None:
    result = NoSpeculation(locale="ja").validate("設定変更が原因である可能性があります。", {})
    assert isinstance(result, FailResult)


@pytest.mark.parametrize(
    "text",
    ["The `comment_updated` webhook is delayed.", 'The "order_created" event arrives late.'],
)
def test_quoted_public_api_names_are_not_internal(text: str) -> None:
    assert isinstance(NoInternalDetail().validate(text, {}), PassResult)


def test_quoted_catalog_alias_is_still_internal() -> None:
    context = GuardContext(catalog=(CatalogEntry(component="SMS", internal=("sms_router",)),))
    result = NoInternalDetail(context=context).validate("`sms_router` drops messages.", {})
    assert isinstance(result, FailResult)
    assert result.error_spans is not None
    assert result.error_spans[0].start == 1


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("We will share more soon.", False),
        ("Mark as read is failing.", False),
        ("Reports from May may be incomplete.", False),
        ("Will restarted the cluster.", True),
        ("Engineers including Mark are on it.", True),
    ],
)
def test_names_that_are_words_count_only_as_names(text: str, flagged: bool) -> None:
    context = GuardContext(people=("will", "mark", "may"))
    result = NoInternalDetail(context=context).validate(text, {})
    assert isinstance(result, FailResult) is flagged
