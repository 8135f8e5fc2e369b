"""Japanese rule pack."""

from __future__ import annotations

import re

from guards.rules import RulePack, TimePattern

# Japanese text is matched after NFKC, so full-width digits are already ASCII.
_NUM = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十数半]+)"

ETA_TIMES = (
    # 「10分以内に」「1時間以内」「数時間以内」
    TimePattern(re.compile(rf"{_NUM}\s?(?:分|時間|日|営業日)以内"), False),
    # 「30分後に」「1時間ほどで」「2時間程度で」 (but not 「30分間」 which is a duration)
    TimePattern(
        re.compile(
            rf"(?:約|およそ|おおよそ)?{_NUM}\s?(?:分|時間|日)(?:後|ほどで|程度で|くらいで|"
            rf"ぐらいで|程で|で)"
        ),
        False,
    ),
    # 「15時までに」「15:30頃」「午後3時に」
    TimePattern(
        re.compile(
            r"(?:午前|午後)?\d{1,2}(?:時(?:\d{1,2}分)?|:\d{2})(?:頃|ごろ)?(?:まで|までに|頃|ごろ)"
        ),
        False,
    ),
    TimePattern(re.compile(r"(?:本日|今日|明日|今週|今夜|今晩|週明け|年内|月内)中"), True),
    TimePattern(
        re.compile(r"(?:本日|今日|明日|明朝|今夜|今晩)(?:の)?(?:夕方|夜|午前|午後|朝)?(?:まで|頃)"),
        True,
    ),
    TimePattern(re.compile(r"(?:夕方|午前中|午後|夜|朝)まで"), True),
    # 「夕方には復旧する予定」「夜には」
    TimePattern(
        re.compile(r"(?:夕方|午前中|午後|夜|夜間|朝|昼|正午|週末|月末)(?:まで|頃|ごろ)?には"), True
    ),
    TimePattern(
        re.compile(r"まもなく|間もなく|もうすぐ|程なく|ほどなく|近日中|直ちに|すぐに"), True
    ),
    TimePattern(re.compile(r"(?:数分|数時間|しばらく)(?:で|後|のうちに|以内)"), False),
)

RULES = RulePack(
    locale="ja",
    sentence_end=re.compile(r"(?<=[。！？!?])\s*|\n+"),
    clause_break=re.compile(r"[、,;:()「」]|ため|ので|が、|けれど"),
    eta_times=ETA_TIMES,
    eta_explicit=re.compile(
        r"(?:復旧|解決|回復|修正|完了)(?:の)?(?:予定|見込み|見通し|目処|めど|目途)(?:時刻|時間|日時)?"
        r"(?:は|を|が)?\s?(?:\d|本日|今日|明日|午前|午後|まもなく|間もなく)"
    ),
    eta_explicit_gate=(),
    eta_negation=re.compile(
        r"未定|立って(?:おり)?ません|立っていない|分かって(?:おり)?ません|わかって(?:おり)?ません|"
        r"お伝えできません|お知らせできません|ありません|不明|お約束できません"
    ),
    update_words=re.compile(
        r"更新|お知らせ|報告|ご案内|ご連絡|連絡|情報|続報|アップデート|掲載|公開|共有|告知|お伝え"
    ),
    restore_words=re.compile(
        r"復旧|解決|回復|修正|再開|正常|解消|完了|改善|戻る|戻り|戻ら|利用可能|ご利用いただけ|"
        r"収束|反映|適用|展開|リリース|デプロイ|終了"
    ),
    future_markers=re.compile(
        r"見込み|予定|見通し|予想|想定|目処|めど|目途|でしょう|はず|ます(?!た)|する(?:予定|見込み)?"
        r"|できる|される"
    ),
    past_markers=re.compile(r"ました|でした|した(?:。|$)|だった|していた|ておりました"),
    eta_fix="次回の更新は30分後を予定しております。",
    speculation=(
        re.compile(r"おそらく|恐らく|たぶん|多分|もしかすると|もしかしたら|ひょっとすると"),
        re.compile(
            r"と思われ|と思います|と思っ|と考えられ|と考えており|と考えています|と推測|"
            r"と推定|と推察|と見られ|とみられ|と見込まれ|と疑われ"
        ),
        re.compile(r"かもしれ|かも知れ|でしょう|だろう|模様|らしい|ようです|ような(?:原因|問題)"),
        re.compile(r"疑い|推定原因|仮説|未確認|確認できておりませんが|定かではありません"),
        # A cause word before 可能性 guesses the cause (「設定変更が原因である可能性」); so does a
        # noun + の (「不正アクセスの可能性」). A verb before it hedges impact and is fine.
        re.compile(
            r"(?:原因|起因|要因|由来|による|によるもの|影響して|関連して|ため|せい)[^。]{0,20}?可能性"
            r"|の可能性"
        ),
    ),
    # 「遅れて届く可能性があります」 hedges impact; only the cause/scope guesses are speculation.
    speculation_exempt=re.compile(
        r"(?:遅れ|遅延|届か|届く|表示され|利用でき|ご利用いただけ|接続でき|つながりにく|"
        r"失敗する|エラーとなる|エラーが発生する|影響を受ける|時間がかかる)[^。]{0,12}"
        r"(?:可能性|場合)"
    ),
    status_words=re.compile(
        r"調査|原因を特定|特定し|対応中|対応して|対応を|監視|経過観察|復旧|解決|修正|確認して|確認中|"
        r"把握|対処|暫定|回復|解消|実施|適用|完了|作業中|進めて"
    ),
    impact_words=re.compile(
        r"影響|遅延|遅れ|利用でき|ご利用いただけ|できない|できません|できず|エラー|障害|つながりにく|"
        r"接続しにく|接続でき|表示され|失敗|停止|不具合|使えない|届かない|届いていない|低下|正常に|"
        r"発生|繋がりにく|ログインでき|アクセスでき|重く|遅く|不安定|問題"
    ),
    symptom_words=re.compile(
        r"遅延|遅れ|エラー|ログイン|通知|メール|SMS|プッシュ|決済|支払い|検索|API|ダッシュボード|"
        r"アップロード|ダウンロード|同期|請求|接続|タイムアウト|表示"
    ),
    region_words=re.compile(r"東日本|西日本|東京|大阪|日本|米国|欧州|アジア|シンガポール|EU|US"),
    placeholders=(
        re.compile(r"[〇○●◯×]{2,}"),
        re.compile(r"【(?:要確認|未定|TBD|TODO|XX+|ここに[^】]*|[^】]{0,10}を入力[^】]*)】"),
        re.compile(r"(?<![A-Za-z])XX+(?=時|分|日|月|件|%|名)"),
    ),
    messages={
        "eta": (
            "復旧時刻の約束や見込み(「{text}」)は記載しないでください。"
            "代わりに次回の更新時刻をお知らせしてください。"
        ),
        "speculation": (
            "原因・範囲・結果についての推測(「{text}」)は記載しないでください。"
            "確認済みの事実のみを記載するか、原因を調査中であるとお伝えください。"
        ),
        "internal_detail": (
            "社内の詳細情報(「{text}」)はお客様向けの文面に含めないでください。"
            "影響を受ける機能を公開名称で説明してください。"
        ),
        "internal_detail_alias": "「{text}」は社内名称です。公開名称「{fix}」を使用してください。",
        "pii": "個人情報(「{text}」)を公開文面から削除してください。",
        "length": "{channel} には長すぎます({size} / {limit} {unit})。短くしてください。",
        "placeholder": "テンプレートの未記入箇所「{text}」を埋めるか削除してください。",
        "missing_status": "対応状況(調査中・原因特定・監視中・解決済み)を記載してください。",
        "missing_impact": "お客様への影響(どの機能が遅い・使えないか)を記載してください。",
        "ungrounded": (
            "「{text}」はインシデント記録で裏付けられていません。確認するか削除してください。"
        ),
    },
)
