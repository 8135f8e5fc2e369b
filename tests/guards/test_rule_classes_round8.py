"""The classes of phrasing added in round 8 of the guards (see docs/guards.md), each with the
look-alike that must stay clean. A few cases per class: the labelled sets measure the rest."""

from __future__ import annotations

import pytest

from guards import check_message


def flagged(text: str, category: str, locale: str, channel: str = "chat") -> list[str]:
    report = check_message(text, channel=channel, locale=locale)
    return [violation.text for violation in report.violations if violation.category == category]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        # an identifier in parentheses or apposition after a noun for a piece of infrastructure
        ("The events were stuck in our internal queue (wh-outbound-prio).", "wh-outbound-prio"),
        ("Our supplier says the submissions queue (SA-INBOUND-Q) is full.", "SA-INBOUND-Q"),
        ("The till did not reach our points system, LOYALTY-SYNC, that day.", "LOYALTY-SYNC"),
        ("当行のATM監視システム（ATM-MON）の記録を確認いたしました。", "ATM-MON"),
        ("メール送信用キュー（SQS: yn-mail-notify）の権限設定の誤りが原因です。", "yn-mail-notify"),
        # a technology word between the identifier and its noun
        ("It looks like the scan-events Kafka topic stopped being consumed.", "scan-events"),
        ("The jobs are stuck in the notify-high-priority SQS queue.", "notify-high-priority"),
        # a lower-case word before a Japanese infrastructure noun
        ("お客様のデータは orders テーブルには残っています。", "orders"),
        # ServiceNow records and exception names that start with an acronym
        ("The booking problem is logged under INC0048213.", "INC0048213"),
        (
            "エラーログに java.sql.SQLTransientConnectionException が記録されています。",
            "SQLTransientConnectionException",
        ),
        ("The log says CardSyncWorker: connection reset by peer.", "CardSyncWorker"),
    ],
)
def test_internal_identifiers_are_caught(text: str, span: str) -> None:
    locale = "en" if text.isascii() else "ja"
    assert any(span in found for found in flagged(text, "internal_detail", locale))


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Jenna in infra says the db failover is done.", "Jenna"),
        ("Marco on our side just restarted the sync job.", "Marco"),
        ("I just checked with Tomás from our backend team.", "Tomás"),
        ("Our tech guy Nikhil is fixing it now.", "Nikhil"),
        ("Our IT technician, Mr Okafor, is working with the supplier.", "Okafor"),
        ("Shout out to Björn and Zainab who were up all night on it.", "Zainab"),
        ("高橋（SRE）いわく、ロードバランサーの設定ミスとのことです。", "高橋"),
        ("作業は委託先の担当者（鈴木・中川）が継続しております。", "中川"),
    ],
)
def test_staff_named_by_where_they_sit_are_caught(text: str, span: str) -> None:
    locale = "en" if text.isascii() else "ja"
    assert span in flagged(text, "internal_detail", locale)


@pytest.mark.parametrize(
    ("text", "locale", "channel"),
    [
        # a public social handle is the customer being answered
        ("@jess_builds sorry about that, it's fixed now!", "en", "social"),
        # ids the customer owns or sees
        ("Your booking reference is BK-2024-77310 and it's confirmed for Thursday.", "en", "chat"),
        ("Thank you for contacting us about invoice INV-2024-00981.", "en", "email"),
        ("Payments on terminal models MT-300 and MT-310 are declined.", "en", "statuspage"),
        ("The payout you asked about (payout ID po_8XK2) was sent this morning.", "en", "chat"),
        ("件名：専用線の障害に関するご報告（回線番号：LL-40228）", "ja", "email"),
        # everyday hyphenated words and activities
        ("The gate was open, which is why your card didn't record a tap-in.", "en", "chat"),
        ("The label-printing service is working again.", "en", "statuspage"),
        # the writer's own name and the addressee
        ("高木さん\n\nダッシュボードが重い件、現在調査中です。\n\nCS 大野", "ja", "email"),
        ("いつもお世話になっております。ネクストシステムズの吉田でございます。", "ja", "email"),
        (
            "Hi Ellie,\n\nYour pass is showing again.\n\nCheers,\nAbbie\nRideMetro Support",
            "en",
            "email",
        ),
    ],
)
def test_internal_detail_look_alikes_stay_clean(text: str, locale: str, channel: str) -> None:
    assert flagged(text, "internal_detail", locale, channel) == []


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        # the wait itself, whatever the verb
        ("they said maybe 30 more mins", "en"),
        ("It's being worked on and it shouldn't be much longer now.", "en"),
        ("The fix is deploying, so we're talking minutes rather than hours.", "en"),
        # a bare count or hour in chat
        ("Jenna says it'll be fully back by 4", "en"),
        ("vendor says their side's fixed in 30, but who knows", "en"),
        ("i'd say give it 20 and refresh", "en"),
        # maintenance that overruns, a label with its time, a release told in the present tense
        ("the maintenance overran, sorry!! now running until 6am", "en"),
        ("Booking site: down for some users.\nBack by: ~18:30", "en"),
        ("The fixed version 4.3.2 is going out to the Play Store tomorrow.", "en"),
        ("If that works you'll be able to log in within about 10 minutes.", "en"),
        ("作業が長引いていて、終了時刻を18時から20時に延長しています。", "ja"),
        ("・復旧見込み：本日正午まで", "ja"),
        # a relayed promise keeps its own tense
        ("カード会社側の問題です。1時間くらいで直るって言ってました。", "ja"),
        ("キューが詰まってて、数時間で捌けるって開発は言ってます。", "ja"),
    ],
)
def test_eta_phrasings_are_caught(text: str, locale: str) -> None:
    assert flagged(text, "eta", locale)


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("We need 30 more minutes of monitoring before we close this.", "en"),
        ("The outage affected 3 sites and was fixed at 10:42.", "en"),
        ("Errors dropped by 40% after the fix.", "en"),
        ("Reminders for today onward are going out as normal.", "en"),
        ("Logins failed between 10:05 and 10:40 UTC; the fix was deployed at 10:38.", "en"),
        ("Any coursework deadline in that window is extended to 23:59 on Friday.", "en"),
        ("昨日は1時間くらいで直ったと言ってました。", "ja"),
        ("出願期限を2月3日(土) 23:59まで延長いたします。", "ja"),
        ("本日はサポート窓口の受付時間を21時まで延長しております。", "ja"),
    ],
)
def test_eta_look_alikes_stay_clean(text: str, locale: str) -> None:
    assert flagged(text, "eta", locale) == []


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        # a hedge on the ETA's own time belongs to the ETA (the guide labels it eta only)
        ("they said maybe 30 more mins", "en"),
        ("@j_collins gonna be a while, probably tmrw afternoon before it's all back", "en"),
        ("@leo_p back up by 5 they reckon, fingers crossed", "en"),
        ("月曜には全部元通りになってると思います", "ja"),
        ("@sora_m 夜には戻ってると思う！たぶん！", "ja"),
        # a possibility about the customer's own device, account or next step
        (
            "お使いの端末に古いデータが残ってるかもしれないので、キャッシュを削除してください。",
            "ja",
        ),
        ("ご請求が二重になっているかもしれませんので、ご利用履歴をご確認ください。", "ja"),
        ("We have now added the 212 points to your account by hand.", "en"),
    ],
)
def test_speculation_look_alikes_stay_clean(text: str, locale: str) -> None:
    assert flagged(text, "speculation", locale) == []


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        # a cause guessed in the same sentence as an ETA is still a guess
        ("vendor thinks it was a bad cert on their end, says fixed within the next hr", "en"),
        ("Pretty sure it's the new load balancer. Fingers crossed we're back up in 15.", "en"),
        ("たぶん昨日のリリースが原因で、すぐ戻すそうです！", "ja"),
        ("他のお客様のチケットも未発券になっているかもしれません。", "ja"),
    ],
)
def test_speculation_next_to_an_eta_is_caught(text: str, locale: str) -> None:
    assert flagged(text, "speculation", locale)


# Cases from the review of round 8 (before it was merged): each was wrong in its first version.


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        # no score overrules a refund or a "no ETA" (the gate refuses them)
        ("Refunds will be processed by Friday.", "en"),
        ("Your refund will be back in your account within 3 days.", "en"),
        ("返金は3営業日以内に完了する予定です。", "ja"),
        # what is not the service coming back
        ("Your order #4521 ships Thursday.", "en"),
        ("Our summer sale is now running until Sunday!", "en"),
        ("Resolved: 3 of 4 affected regions.", "en"),
        ("Only 2 more days until the sale ends!", "en"),
        ("メンテナンスのお詫びとして、ポイント付与期間を20時まで延長します。", "ja"),
    ],
)
def test_reviewed_eta_look_alikes_stay_clean(text: str, locale: str) -> None:
    assert flagged(text, "eta", locale, "statuspage") == []


@pytest.mark.parametrize(
    "text",
    [
        # an explicit overrun is not vetoed by the model
        "The maintenance window is now extended to 03:30.",
        "Probably back by 5 once the fix is deployed.",
        "The fix is merged and goes out with the 4pm release today.",
    ],
)
def test_reviewed_eta_phrasings_are_caught(text: str) -> None:
    assert flagged(text, "eta", "en", "statuspage")


@pytest.mark.parametrize(
    ("category", "text", "locale", "expected"),
    [
        ("internal_detail", "Our booking system, ZEN-7, is fully restored.", "en", True),
        ("internal_detail", "Jobs on the order queue, PAY-77, are stuck.", "en", True),
        ("internal_detail", "gmail サービスへの送信が遅れています。", "ja", False),
        ("internal_detail", "担当（鈴木）よりご連絡いたします。", "ja", False),
        ("internal_detail", "山田（営業部）よりご案内いたします。", "ja", False),
        ("internal_detail", "Please check your system (Windows-11) settings.", "en", False),
        ("speculation", "3 alerts point to the CDN.", "en", True),
        ("speculation", "ご連絡いただいた件、サーバー障害が原因かもしれません。", "ja", True),
        # a thing being restored is not a cause ("network", "database")
        ("speculation", "The network should be back in maybe 30 more mins.", "en", False),
        ("speculation", "メンテナンスのため、夜には戻ってると思います", "ja", False),
    ],
)
def test_reviewed_internal_detail_and_speculation_cases(
    category: str, text: str, locale: str, expected: bool
) -> None:
    assert bool(flagged(text, category, locale, "statuspage")) == expected
