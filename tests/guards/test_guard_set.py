"""Guard set behaviour: normalisation, spans, caching and input errors."""

from __future__ import annotations

import pytest

from guards import (
    BLOCKING_CATEGORIES,
    MAX_TEXT_CHARS,
    GuardContext,
    InvalidGuardInput,
    build_guard_set,
    check_message,
)


def test_zero_width_characters_do_not_hide_internal_host() -> None:
    text = "We restarted app\u2011serv\u200ber\u2011123 today."
    report = check_message(text, channel="statuspage", locale="en")
    [violation] = [v for v in report.violations if v.category == "internal_detail"]
    assert violation.text == "app\u2011serv\u200ber\u2011123"
    assert text[violation.span[0] : violation.span[1]] == violation.text


def test_homoglyph_does_not_hide_eta() -> None:
    text = "Investigating. Email will be restored sh\u043ertly."
    report = check_message(text, channel="statuspage", locale="en")
    [violation] = [v for v in report.violations if v.category == "eta"]
    assert violation.span == (15, len(text))


def test_fullwidth_japanese_is_normalised() -> None:
    report = check_message("\uff11\uff10分以内に復旧します。", channel="chat", locale="ja")
    assert "eta" in report.categories()


def test_report_blocking_follows_categories() -> None:
    report = check_message("Fixed. Probably a bad deploy.", channel="chat", locale="en")
    assert report.blocking
    assert all(v.blocking == (v.category in BLOCKING_CATEGORIES) for v in report.violations)


def test_empty_text_yields_only_warnings() -> None:
    report = check_message("", channel="statuspage", locale="en")
    assert report.categories() == {"missing_status", "missing_impact"}
    assert not report.blocking


def test_guard_set_is_cached_per_context() -> None:
    context = GuardContext(people=("alice",))
    assert build_guard_set("email", "en", context) is build_guard_set("email", "en", context)
    assert build_guard_set("email", "en") is not build_guard_set("email", "en", context)


def test_unknown_channel_lists_valid_ones() -> None:
    with pytest.raises(InvalidGuardInput, match="statuspage, social, email, chat"):
        check_message("hi", channel="fax", locale="en")


def test_unknown_locale_lists_valid_ones() -> None:
    with pytest.raises(InvalidGuardInput, match="en, ja"):
        check_message("hi", channel="chat", locale="fr")


def test_text_over_limit_names_the_limit() -> None:
    with pytest.raises(InvalidGuardInput, match="100,000"):
        check_message("a" * (MAX_TEXT_CHARS + 1), channel="email", locale="en")


def test_ungrounded_runs_only_with_grounding() -> None:
    text = "Payments fail in the EU region."
    assert "ungrounded" not in check_message(text, channel="chat", locale="en").categories()
    context = GuardContext(grounding=("logins are slow in the US",))
    report = check_message(text, channel="chat", locale="en", context=context)
    assert "ungrounded" in report.categories()
    assert not [v for v in report.violations if v.category == "ungrounded" and v.blocking]
