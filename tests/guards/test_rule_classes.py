"""The classes of phrasing added in round 3 of the guards (see docs/guards.md), each with the
look-alike that must stay clean. One case per class: the labelled sets measure the rest."""

from __future__ import annotations

import pytest

from guards import check_message


def categories(text: str, locale: str = "en") -> set[str]:
    report = check_message(text, channel="statuspage", locale=locale)
    return {violation.category for violation in report.violations}


@pytest.mark.parametrize(
    "text",
    [
        "Expected time to recovery: 2 hours.",
        "Voicemail is unavailable. Target restore time: 11:45 GMT.",
        "Uploads are failing. Time to resolution is estimated at 3 hours.",
        "Checkout errors: fix deployed, full recovery in ~30m.",
        "Email will be restored no later than 18:00 CET.",
        "Webhook deliveries are delayed. We expect them to be caught up by 9 PT.",
        "Imports are paused and will resume by March 3.",
        "Reports will be available again early next week.",
        "Restoration is in progress, with roughly 2 hours remaining.",
        "The fix is being deployed and needs another 20 minutes or so to complete.",
        "We'll be back up and running momentarily!",
        "SMS will return to normal once the carrier finishes, which they expect around 3 pm.",
        "In roughly an hour, calling should work as expected again.",
        "Fix: rolling out now, done in ~10 min.",
        "Everyone should be able to log in again in 10-ish minutes.",
        "We're on track to restore them by end of business Pacific time.",
        "Restoration of the data is underway and should take approximately 90 minutes.",
    ],
)
def test_eta_phrasings_are_caught(text: str) -> None:
    assert "eta" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Scheduled maintenance of the Billing Portal completed at 03:00 UTC.",
        "Notifications are delivered with an average delay of approximately 30 minutes.",
        "We are making the cache respond more quickly to rollbacks.",
        "We will post the next update by 15:00 UTC.",
        "We will update this page again in an hour.",
        "We'll keep monitoring over the next few hours to make sure everything stays stable.",
        "Scheduled maintenance was completed at 05:00 UTC on Sunday as planned.",
    ],
)
def test_eta_look_alikes_stay_clean(text: str) -> None:
    assert "eta" not in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "ETAは14時です。",
        "遅延しているプッシュ通知は、あと20分ほどで全て配信される見込みです。",
        "ファイルのアップロードができない状態です。復旧予定時刻：15:30（日本時間）",
        "推定復旧時間は約1時間です。",
        "修正プログラムは明日リリース予定です。",
        "予約の受付ができない状態は、正午前に解消する見込みです。",
        "サービス再開は午後3時半を予定しています。",
        "遅くとも今週中には、すべてのお客様の環境で復旧が完了する予定です。",
        "通知の滞留の解消には、あと40分ほどかかる見込みです。",
        "修正の適用には2〜3時間かかる見込みです。",
        "管理画面がご利用いただけない状態です。18時（日本時間）までに復旧いたします。",
    ],
)
def test_japanese_eta_phrasings_are_caught(text: str) -> None:
    assert "eta" in categories(text, "ja")


@pytest.mark.parametrize(
    "text",
    [
        "予定していたメンテナンスは3時00分に完了しました。",
        "次回更新予定時刻：16:00",
        "復旧予定時刻は決まり次第お知らせします。",
        "本日午前、約25分間にわたり決済がご利用いただけない状態となっておりました。11時30分以降は正常に稼働しております。",
        "メンテナンスは予定より早く午前1時40分に完了いたしました。",
    ],
)
def test_japanese_eta_look_alikes_stay_clean(text: str) -> None:
    assert "eta" not in categories(text, "ja")


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("It might be a hardware fault, but we are still checking.", "en"),
        ("There is a chance this is connected to the payment provider outage.", "en"),
        ("Initial indications suggest a problem with a third-party email provider.", "en"),
        ("Kenji thinks the load balancer is misrouting traffic.", "en"),
        ("It appears that a database failover may have caused the errors.", "en"),
        ("Our early read is that a caching change caused the stale data.", "en"),
        ("アクセス集中による負荷が原因なのではないかと見ております。", "ja"),
        ("ソフトウェアの不具合が疑われます。", "ja"),
        ("CDN事業者側の問題である公算が大きいですが、確定ではありません。", "ja"),
        ("The calendar sync problem is thought to be caused by a change in an API.", "en"),
        ("Might be the nightly cleanup job, still checking.", "en"),
        ("We're not certain, but the delays seem to be limited to customers in Europe.", "en"),
        ("検索が遅い件、インデックス処理の集中が原因っぽいです。", "ja"),
    ],
)
def test_speculation_phrasings_are_caught(text: str, locale: str) -> None:
    assert "speculation" in categories(text, locale)


@pytest.mark.parametrize(
    "text",
    [
        "We apologize for any inconvenience this may have caused.",
        "We're not yet sure what is causing this and will share the cause once we know.",
        "It may be a few minutes before all emails arrive.",
        "Map searches may return fewer results than usual.",
        "The issue is expected to be resolved soon.",
    ],
)
def test_speculation_look_alikes_stay_clean(text: str) -> None:
    assert "speculation" not in categories(text)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Files uploaded to s3://acme-prod-uploads-eu1 are not processed.", "s3://"),
        ("Invoices are delayed: the billing.events.v2 topic has consumer lag.", "billing.events"),
        ("The sms-outbound-priority queue has 200,000 pending messages.", "sms-outbound"),
        ("The host at fd00:4a2b::17 was removed from rotation.", "fd00:4a2b::17"),
        ("The fix is tracked in github.com/acme/platform/pull/8812.", "github.com"),
        ("Our on-call engineer Priya is investigating the failed logins.", "Priya"),
        ("Jonathan Meyer restarted the affected servers.", "Jonathan Meyer"),
        ("Priya from our SRE team is leading the investigation.", "Priya"),
        ("担当の田中が調査しております。", "田中"),
        ("エンジニアのKevinが修正をデプロイしました。", "Kevin"),
        ("app-server-123を再起動し、経過を監視しています。", "app-server-123"),
        ("詳細はSlackの#incident-billingチャンネルで共有しています。", "#incident-billing"),
        ("Fixed by @maria.k, thanks! SMS sending is back to normal.", "@maria.k"),
        ("Kevin is restoring the missing records from backup.", "Kevin"),
        ("ingest-queue-jp のコンシューマーが停止しています。", "ingest-queue-jp"),
    ],
)
def test_internal_detail_classes_are_caught(text: str, flagged: str) -> None:
    locale = "en" if text.isascii() else "ja"
    report = check_message(text, channel="statuspage", locale=locale)
    spans = [v.text for v in report.violations if v.category == "internal_detail"]
    assert any(flagged in span for span in spans), spans


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("Customers on the Pro_2024 plan cannot export CSV files.", "en"),
        ("We are investigating issues with [COMPONENT] since {{start_time}}.", "en"),
        ("We routed requests around the out-of-sync replica.", "en"),
        ("Fix is rolling out now. Search should be back soon.", "en"),
        ("Thanks to Globex for reporting this.", "en"),
        ("Stripe is investigating elevated card declines.", "en"),
        ("Follow @AcmeStatus for updates.", "en"),
        ("担当者の電話番号は 090-1234-5678 です。", "ja"),
    ],
)
def test_internal_detail_look_alikes_stay_clean(text: str, locale: str) -> None:
    assert "internal_detail" not in categories(text, locale)
