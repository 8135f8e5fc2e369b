"""POST /v1/guards/check over HTTP."""

from typing import Any

from guards import MAX_TEXT_CHARS
from tests.conftest import Api

URL = "/v1/guards/check"


async def _check(api: Api, who: str = "viewer", **body: Any) -> Any:
    body.setdefault("channel", "statuspage")
    body.setdefault("locale", "en")
    return await api.client.post(URL, json=body, headers=api.auth(who))


def _categories(response: Any) -> set[str]:
    return {violation["category"] for violation in response.json()["violations"]}


def _spans_point_into_text(text: str, response: Any) -> None:
    for violation in response.json()["violations"]:
        start, end = violation["span"]
        assert text[start:end] == violation["text"]


async def test_eta_blocks_and_comes_with_a_fix(api: Api) -> None:
    text = "Checkout is failing. We expect it to be fixed within 10 minutes."
    response = await _check(api, text=text)
    assert response.status_code == 200
    body = response.json()
    assert body["blocking"] is True
    [eta] = [v for v in body["violations"] if v["category"] == "eta"]
    assert eta["blocking"] is True
    assert eta["fix"]
    assert "within 10 minutes" in eta["message"]
    _spans_point_into_text(text, response)


async def test_clean_update_does_not_block(api: Api) -> None:
    text = "We are investigating delayed SMS notifications. Next update in 30 minutes."
    response = await _check(api, "liaison", text=text, channel="social")
    assert response.status_code == 200
    assert response.json() == {"blocking": False, "violations": []}


async def test_japanese_eta_is_caught(api: Api) -> None:
    text = "決済が失敗する事象が発生しております。本日中に復旧予定です。"
    response = await _check(api, text=text, locale="ja", channel="chat")
    assert "eta" in _categories(response)
    _spans_point_into_text(text, response)


async def test_empty_text_is_answered_with_warnings_only(api: Api) -> None:
    response = await _check(api, text="")
    assert response.status_code == 200
    assert response.json()["blocking"] is False
    assert _categories(response) == {"missing_status", "missing_impact"}


async def test_unknown_channel_lists_the_valid_ones(api: Api) -> None:
    response = await _check(api, text="hi", channel="fax")
    assert response.status_code == 422
    assert all(name in response.text for name in ("statuspage", "social", "email", "chat"))


async def test_unknown_locale_lists_the_valid_ones(api: Api) -> None:
    response = await _check(api, text="hi", locale="fr")
    assert response.status_code == 422
    assert "'en'" in response.text
    assert "'ja'" in response.text


async def test_one_megabyte_text_is_rejected_naming_the_limit(api: Api) -> None:
    response = await _check(api, text="a" * 1_000_000)
    assert response.status_code == 413
    assert f"{MAX_TEXT_CHARS:,}" in response.json()["detail"]


async def test_anonymous_caller_is_rejected(api: Api) -> None:
    response = await api.client.post(URL, json={"text": "hi", "channel": "chat", "locale": "en"})
    assert response.status_code == 401


async def test_zero_width_characters_do_not_hide_an_eta(api: Api) -> None:
    text = "A fix is rolling out. Service will be restored with\u200bin 2\u200b0 min\u200butes."
    response = await _check(api, text=text)
    assert "eta" in _categories(response)
    _spans_point_into_text(text, response)


async def test_homoglyph_hostname_is_still_internal(api: Api) -> None:
    # Cyrillic "і" and "о" in an internal hostname.
    text = "We restarted db-primary-2.\u0456nternal and are monitoring; d\u043ewnloads are slow."
    response = await _check(api, text=text)
    [violation] = [v for v in response.json()["violations"] if v["category"] == "internal_detail"]
    assert violation["text"] == "db-primary-2.\u0456nternal"
    _spans_point_into_text(text, response)


async def test_fullwidth_digits_do_not_hide_a_japanese_eta(api: Api) -> None:
    text = "ログインできない事象を調査中です。３０分以内に復旧する見込みです。"
    response = await _check(api, text=text, locale="ja")
    assert "eta" in _categories(response)
    _spans_point_into_text(text, response)


async def test_emoji_and_mixed_scripts_keep_spans_aligned(api: Api) -> None:
    text = "🚨 決済 API: payments are failing 🙏 We are investigating. Traffic hit 10.0.3.21 👀"
    response = await _check(api, text=text)
    assert response.status_code == 200
    assert "internal_detail" in _categories(response)
    _spans_point_into_text(text, response)


async def test_incident_context_flags_its_people(api: Api) -> None:
    incident = await api.create_incident()
    transcript = {
        "messages": [{"at": "2026-03-01T10:02:00Z", "author": "priya", "text": "SMS delayed"}]
    }
    added = await api.client.post(
        f"/v1/incidents/{incident['id']}/transcript", json=transcript, headers=api.auth("liaison")
    )
    assert added.status_code == 201, added.text
    text = "SMS notifications are delayed. Priya is investigating."
    with_context = await _check(api, text=text, incident_id=incident["id"])
    without = await _check(api, text=text)
    assert "internal_detail" in _categories(with_context)
    assert "internal_detail" not in _categories(without)


async def test_unknown_incident_is_404(api: Api) -> None:
    response = await _check(api, text="hi", incident_id=999_999)
    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"


def test_api_literals_match_the_guard_package() -> None:
    from app.guarding.schemas import CHANNELS, LOCALES
    from guards import CHANNELS as GUARD_CHANNELS
    from guards import LOCALES as GUARD_LOCALES

    assert (CHANNELS, LOCALES) == (GUARD_CHANNELS, GUARD_LOCALES)
