"""Locale-independent patterns: internal identifiers, personal data and template slots."""

from __future__ import annotations

import re

_I = re.IGNORECASE
# Python's \b treats CJK as word characters, so ASCII tokens inside Japanese text need explicit
# ASCII-only boundaries.
L = r"(?<![A-Za-z0-9_])"
R = r"(?![A-Za-z0-9_])"

URL = re.compile(
    r"(?:https?://|www\.|(?<![\w.@/-])(?:github|gitlab|bitbucket)\.(?:com|org)/)[^\s<>\"'）)\]」、。]+",
    _I,
)
# Object-store, broker and database URIs are internal whatever their host.
INTERNAL_URI = re.compile(
    r"(?<![A-Za-z0-9])(?:s3|gs|hdfs|kafka|redis|rediss|postgres(?:ql)?|mysql|mongodb|amqp|nats|"
    r"file|wasb|abfss?)://[^\s<>\"'）)\]」、。]+",
    _I,
)
INTERNAL_URL_HOST = re.compile(
    r"grafana|kibana|jenkins|datadog|splunk|sentry|pagerduty|opsgenie|argocd|prometheus|"
    r"localhost|intranet|(?:^|\.)wiki\.|(?:^|\.)confluence\.|(?:^|\.)jira\.|\.internal\b|\.corp\b|"
    r"\.local\b|\.lan\b|\.intra\b|\.svc\b|^\d{1,3}(?:\.\d{1,3}){3}$|:\d{2,5}$|"
    r"(?:^|\.)(?:admin|ops|dash|dashboards?|grafana|metrics|logs|ci|build|vpn)\.",
    _I,
)
INTERNAL_URL_PATH = re.compile(
    r"(?:github|gitlab|bitbucket)\.(?:com|org)/[^/\s]+/[^/\s]+/(?:-/)?(?:pull|pulls|merge_requests|commits?|issues|actions/runs|blob|tree)/|atlassian\.net/browse/|"
    r"/(?:d|dashboards?|explore|app/kibana|job|browse)/",
    _I,
)

INTERNAL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "fqdn",
        re.compile(
            rf"{L}[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:internal|corp|local|lan|intra|"
            rf"intranet|priv|private|svc|consul|cluster\.local)(?![A-Za-z0-9_-])",
            _I,
        ),
    ),
    # Not a longer dotted number (a version), but a sentence's full stop may follow.
    (
        "ip",
        re.compile(rf"{L}(?:\d{{1,3}}\.){{3}}\d{{1,3}}(?:/\d{{1,2}})?(?::\d{{2,5}})?(?!\d|\.\d)"),
    ),
    (
        "ipv6",
        re.compile(
            rf"{L}(?=[0-9a-f:]*[a-f])[0-9a-f]{{1,4}}(?::[0-9a-f]{{0,4}}){{4,7}}{R}"
            rf"|{L}[0-9a-f]{{1,4}}(?::[0-9a-f]{{1,4}})*::(?:[0-9a-f]{{1,4}}(?::[0-9a-f]{{1,4}})*)?"
            rf"(?:/\d{{1,3}})?{R}",
            _I,
        ),
    ),
    ("snake", re.compile(rf"{L}[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+{R}")),
    (
        "kebab",
        re.compile(r"(?<![A-Za-z0-9_./#-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+(?![A-Za-z0-9_-])"),
    ),
    # Roots are checked in Python (HOST_ROOTS): one big alternation per position is slow.
    ("host_digits", re.compile(rf"{L}([A-Za-z][A-Za-z0-9]*?)_?\d+[a-z]?{R}")),
    (
        "exception",
        re.compile(
            rf"{L}(?:[A-Z][a-z0-9]+|[A-Z]{{2,}}(?=[A-Z][a-z]))+(?:Exception|Error|Fault){R}"
            # a class of the code by its role: "CardSyncWorker", "SeatHoldService.reserve"
            rf"|{L}(?:[A-Z][a-z0-9]+){{2,}}(?:Worker|Handler|Controller|Consumer|Producer|"
            rf"Processor|Scheduler|Dispatcher|Exporter|Importer|Repository|Servlet){R}"
            rf"|{L}(?:Traceback|OOMKilled|"
            rf"OOM[- ]?kill(?:ed|er)?|CrashLoopBackOff|ImagePullBackOff|SIG(?:KILL|TERM|SEGV|ABRT)"
            rf"|segfault|segmentation fault|stack ?traces?|core dump(?:ed)?|heap dump|goroutine"
            rf"|kernel panic|panic:|E(?:CONNREFUSED|CONNRESET|TIMEDOUT|ADDRINUSE|NOSPC))"
            rf"|File \"[^\"]+\", line \d+|{L}at [\w.$]+\([\w.]+:\d+\)|スタックトレース",
        ),
    ),
    (
        "ticket",
        re.compile(
            rf"{L}(?<!-)([A-Z][A-Z0-9]{{1,9}})-\d+(?![A-Za-z0-9_-])"
            rf"|{L}(?:PR|MR|CL)\s?[#!]?\s?\d+{R}|(?:pull|merge) request\s?#?\s?\d+"
            # ServiceNow-style records: INC0048213, RITM0012345, CHG0031337
            rf"|{L}(?:INC|RITM|CHG|REQ|PRB|SCTASK)\d{{6,}}{R}"
            rf"|(?:ticket|bug|change|CR|PR)\s?#\s?\d+"
            rf"|(?:commit|sha|revision|rev|コミット)\s?[0-9a-f]{{7,40}}{R}"
            rf"|{L}[A-Za-z0-9][\w.-]*/[\w.-]+#\d+{R}",
        ),
    ),
    (
        "tool",
        re.compile(
            rf"{L}(?:grafana|kibana|jenkins|splunk|datadog|pagerduty|opsgenie|argo ?cd|spinnaker|"
            rf"prometheus|alertmanager|nagios|zabbix|kubectl|runbooks?){R}",
            _I,
        ),
    ),
    (
        "channel",
        re.compile(
            r"(?<![A-Za-z0-9_&#])#(?:(?:inc|incident|ops|eng|sre|oncall|on-call|alerts?|war-?room|dev|"
            r"prod|infra|platform|team|sec|security|noc)[a-z0-9_-]*|[a-z0-9]+(?:[-_][a-z0-9]+)+)"
        ),
    ),
    # Chat handles with a dot (Slack style; public social handles cannot hold one) and
    # channel-wide mentions: "@maria.k", "@here"
    (
        "handle",
        re.compile(
            r"(?<![A-Za-z0-9_.@-])@(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\.[a-z0-9]+|here|channel|oncall|"
            r"on-call)(?![A-Za-z0-9_@-]|\.[A-Za-z])"
        ),
    ),
)
# Segments that make a hyphenated or underscored token name infrastructure wherever they sit.
INFRA_SEGMENTS = frozenset(
    {
        "queue", "topic", "db", "svc", "worker", "consumer", "producer", "cluster", "pod", "bucket",
        "cron", "redis", "kafka", "mysql", "postgres", "pg", "k8s", "kube", "shard", "replica",
    }
)  # fmt: skip

# Necessary conditions of each internal pattern, checked before scanning with it: a tuple of
# substrings of the lower-cased text (any one must occur) or a cheap pattern that must match.
# Most messages hold none of them, and a substring test is far cheaper than a regex scan.
Gate = tuple[str, ...] | re.Pattern[str]
INTERNAL_GATES: dict[str, Gate] = {
    "fqdn": (".internal", ".corp", ".local", ".lan", ".intra", ".priv", ".svc", ".consul"),
    "ip": re.compile(r"\d\.\d"),
    "ipv6": re.compile(r":[0-9A-Fa-f]{0,4}:"),
    "snake": ("_",),
    "kebab": ("-",),
    "exception": (
        "exception", "error", "fault", "traceback", "worker", "handler", "controller", "consumer",
        "producer", "processor", "scheduler", "dispatcher", "exporter", "importer", "repository",
        "servlet", "oom", "crashloop", "imagepull", "sig",
        "segfault", "segmentation", "stack", "core dump", "heap dump", "goroutine", "panic",
        "econn", "etimedout", "eaddr", "enospc", 'file "', "(", "スタックトレース",
    ),
    "ticket": re.compile(
        r"[A-Z0-9]-\d|PR|MR|CL|request|#|commit|sha|rev|コミット|(?:INC|RITM|CHG|REQ|PRB|TASK)\d"
    ),
    "tool": (
        "grafana", "kibana", "jenkins", "splunk", "datadog", "pagerduty", "opsgenie", "argo",
        "spinnaker", "prometheus", "alertmanager", "nagios", "zabbix", "kubectl", "runbook",
    ),
    "channel": ("#",),
    "handle": ("@",),
    "url": ("http", "www.", "github.", "gitlab.", "bitbucket."),
}  # fmt: skip

HOST_ROOTS = frozenset(
    {
        "db", "web", "app", "api", "srv", "server", "host", "node", "worker", "redis", "mysql",
        "pg", "postgres", "kafka", "es", "cache", "lb", "proxy", "mq", "rabbit", "rabbitmq",
        "shard", "replica", "primary", "vm", "bastion", "prod", "stg", "staging", "k8s",
        "cassandra", "mongo", "mongodb", "etcd", "zk", "elastic", "nginx", "haproxy", "ingress",
        "memcache", "memcached", "queue", "broker", "gke", "eks", "aks",
    }
)  # fmt: skip
# Uppercase prefixes of public names written like ticket ids (CVE-2024-1234, COVID-19, GPT-4).
TICKET_ALLOWED_PREFIXES = frozenset(
    {
        "CVE", "COVID", "GPT", "ISO", "SHA", "UTF", "RFC", "TLS", "SSL", "HTTP", "HTTPS", "IPV",
        "MP", "AES", "RSA", "WPA", "PCI", "SOC", "EU", "US", "AP", "SA", "CA", "ME", "JP", "UK",
        "NA", "APAC", "EMEA", "LATAM", "ANZ", "IOS", "ES", "DDR", "USB", "LTE", "AI", "MFA", "OS",
        "PS", "FY", "GDPR", "ARM", "WCAG", "IEC", "NIST", "HIPAA", "SOC2", "IPV4", "IPV6",
    }
)  # fmt: skip

# Labels of ids a customer sees (error codes, models, orders, bookings), just before the id.
CUSTOMER_ID_LABEL = re.compile(
    r"(?:error|code|models?|order|booking|reservation|confirmation|invoice|receipt|account|"
    r"device|ref\.?|reference|shipment|parcel|package|tracking|payout|claim|policy|circuit|"
    r"voucher|coupon|membership|transaction|payment|エラー|コード|型番|機種|モデル|品番|"
    r"(?:注文|予約|受付|会員|取引|伝票|お問い合わせ|回線|契約|お客様|証券|請求書)番号)"
    r"[\s#:：(（「\"'`]*(?:no\.?|number|id)?(?:\s+(?:is|was))?[\s#:：]*[\"'`「]?"
    # the later ids of a list after one label: "models MT-300 and MT-310"
    r"(?:(?-i:[A-Z0-9][A-Z0-9-]*\d[\w-]*)(?:,\s*|\s+(?:and|or|&)\s+|\s*/\s*))*$",
    re.IGNORECASE,
)
# Prefixes only internal trackers use: an id with one is never customer-visible.
INTERNAL_TICKET_PREFIXES = frozenset(
    {"INC", "OPS", "JIRA", "SUP", "BUG", "ENG", "PLAT", "INFRA", "SRE", "DEV", "SEC", "CHG"}
)
# Nouns of devices and models right after an id: "on TB-200 terminals", 「RM-200端末」.
CUSTOMER_ID_NOUN = re.compile(
    r"\s*(?:terminals?|devices?|printers?|readers?|routers?|models?|cameras?|phones?|trackers?|"
    r"端末|プリンター|カメラ|機種|モデル|ルーター)",
    re.IGNORECASE,
)
# The verb part of a documented webhook event, after its object: "payment_intent.succeeded",
# "invoice.payment_failed" (matched after the object, or against the part after the dot).
PUBLIC_EVENT_SUFFIX = re.compile(
    r"\.?(?:\w+_)?(?:succeeded|failed|created|updated|deleted|completed|canceled|cancelled|paid|"
    r"refunded|expired|received|sent|delivered|opened|clicked|bounced)\b"
)
# Japanese words an honorific can follow that are not people: 「飲食店さん」「他のチームさん」.
NOT_A_NAME_JA = re.compile(
    r"^(?:皆|客)$|[店社屋者局課園院校家様]$|^(?:チーム|メーカー|ベンダー|ドライバー|スタッフ|"
    r"オーナー|ユーザー|パートナー)$"
)
# Public names that look like internal identifiers.
KEBAB_ALLOWED_FIRST = frozenset(
    {
        "utf", "sha", "covid", "gpt", "iso", "rfc", "md", "h", "x", "cve", "ipv", "mp", "wi",
        "e", "t", "b", "k", "p", "s", "windows", "ios", "macos", "android", "claude", "gemini",
        "llama", "o", "pre", "post", "non", "re", "co", "multi", "anti", "sub", "top", "in",
        "x86", "arm", "ddr", "usb", "wpa", "tls", "ssl", "http", "http2", "level", "tier", "log",
        "sign", "opt", "two", "3d", "2fa", "2-factor", "ubuntu", "debian", "alpine", "centos",
        "fedora", "rhel", "python", "java", "openjdk",
    }
)  # fmt: skip
REGION = re.compile(
    r"^(?:us|eu|ap|sa|ca|me|af|il|mx|asia|europe|northamerica|southamerica|australia|"
    r"uk|jp|in|de|fr|sg|au|br)(?:-(?:north|south|east|west|central|northeast|southeast|"
    r"northwest|southwest|gov|iso)\w*)*(?:-?\d+[a-z]?)?$",
    _I,
)
INFRA_SUFFIX = re.compile(
    r"-(?:router|svc|service|worker|workers|queue|db|api|proxy|gateway|consumer|producer|"
    r"cluster|pod|node|cron|job|daemon|lb|cache|prod|production|staging|stg|canary|primary|"
    r"replica|shard|broker|topic|bucket|table|ingest|ingester|dispatcher|scheduler|"
    r"backend|frontend|server|host|in|out|writer|reader|sidecar|controller|operator|"
    r"deployment|redis|kafka|mysql|postgres|pg)$",
    _I,
)
INFRA_PREFIX = re.compile(
    r"^(?:db|k8s|svc|prod|stg|staging|int|internal|infra|ops|kube|redis|kafka|mysql|pg|"
    r"notif|payments?|auth|billing|search|user|order|orders|ledger|edge|core)-",
    _I,
)
# Prefixes that make even a quoted identifier internal (`kafka_events`, `db_users`); business
# nouns such as order_ or payment_ start public event names too.
QUOTED_INTERNAL_PREFIX = re.compile(
    r"^(?:db|k8s|svc|prod|stg|staging|int|internal|infra|ops|kube|redis|kafka|mysql|pg|notif)-",
    _I,
)
COMMON_HYPHENATED = frozenset(
    {
        "sign-in", "log-in", "login-in", "opt-in", "opt-out", "check-out", "check-in", "roll-out",
        "built-in", "add-on", "add-ons", "plug-in", "plug-ins", "pop-up", "set-up", "back-end",
        "front-end", "in-app", "single-sign-on", "sign-on", "time-out", "follow-up", "log-out",
        "sign-out", "sign-up", "drop-in",
        "real-time", "e-mail", "re-run", "re-try",
        "third-party", "end-user", "end-users", "user-facing", "customer-facing", "two-factor",
        "multi-factor", "up-to-date", "day-to-day", "on-premises", "on-prem", "self-hosted",
        "self-service", "high-availability", "read-only", "write-only", "all-time", "long-term",
        "short-term", "api-based", "web-based", "cloud-based", "auth-code", "search-based",
        "order-status", "user-specific", "payments-related", "billing-related",
        "order-related", "auth-related", "search-related", "core-features", "edge-cases",
        "edge-case", "in-progress", "in-flight", "in-depth", "in-house", "in-person",
        "add-in", "add-ins", "clock-in", "clock-ins", "clock-out", "out-of-sync", "walk-in",
        "timed-out", "logged-in", "signed-in", "tap-in", "tap-out", "break-in", "top-up",
        "top-ups", "pick-up", "drop-off", "hand-off", "kick-off", "walk-through", "lock-out",
        "log-on", "check-ins", "sign-ups", "follow-ups", "pop-ups", "roll-back", "start-up",
        "cut-off", "cut-offs", "one-off", "write-off", "sign-off", "trade-off", "trade-offs",
        "print-out", "shut-down", "slow-down", "break-down", "mix-up", "hold-up", "clean-up",
        "back-up", "back-ups", "go-live", "pre-order", "pre-orders", "re-sync", "carry-over",
        "change-over", "count-down", "check-up", "wake-up", "run-up", "lead-in", "set-ups",
    }
)  # fmt: skip

# First names that are also ordinary English words or months: a person only when written as one.
MONTH_NAMES = frozenset({"april", "may", "june", "july", "august"})
ORDINARY_WORD_NAMES = MONTH_NAMES | frozenset(
    {
        "will", "mark", "bill", "pat", "sue", "rob", "grant", "chase", "hope", "joy", "art",
        "frank", "jack", "dawn", "faith", "rose", "iris", "penny", "sky", "summer", "guy",
        "gene", "drew", "wade", "miles", "max", "ray", "dean",
        "jean", "sunny", "lane", "page", "reed", "cash", "hunter", "ivy", "lily", "holly",
        "amber", "ruby", "crystal", "destiny", "harmony", "sage", "river", "storm", "brook",
    }
)  # fmt: skip

# An identifier next to an infrastructure noun names that piece of infrastructure, even when
# it is made of ordinary words: "the sms-outbound-priority queue", "topic events.audit",
# 「キュー mail-send-high」. Group "id" is the span reported.
_IDENT = r"(?P<id>[A-Za-z][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)+)"
_INFRA_NOUN_EN = (
    r"(?:topics?|queues?|tables?|buckets?|streams?|indexe?s?|indices|cron\s?jobs?|jobs?|pods?|"
    r"clusters?|hosts?|nodes?|shards?|partitions?|deployments?|namespaces?|workers?|consumers?|"
    r"daemons?|databases?|schemas?|keyspaces?|collections?|containers?|images?|replicas?|"
    r"services?|repos?|repositor(?:y|ies)|servers?)"
)
_INFRA_NOUN_JA = (
    r"(?:トピック|キュー|テーブル|バケット|ストリーム|インデックス|(?:cron|バッチ)?ジョブ|ポッド|コンシューマー?|プロデューサー?|"
    r"クラスター?|ホスト|ノード|サーバー?|ワーカー|コンテナ|データベース|DB|イメージ|サービス|"
    r"リポジトリ|待ち行列)"
)
# Scanned noun first (nouns are rare), then the identifier right after or right before it.
# Matched against the lower-cased text (no IGNORECASE: several times faster).
INFRA_NOUN_LOWER = re.compile(rf"(?<![a-z0-9]){_INFRA_NOUN_EN}(?![a-z])")
# Scanned only when the text is not pure ASCII.
INFRA_NOUN_JA = re.compile(_INFRA_NOUN_JA.replace("DB", "db"))
INTERNAL_URI_GATE = (
    "s3://", "gs://", "hdfs://", "kafka://", "redis", "postgres", "mysql://", "mongodb://",
    "amqp://", "nats://", "file://", "wasb", "abfs",
)  # fmt: skip
# Right after the noun, or in parentheses or apposition: "queue (wh-outbound-prio)",
# "queue, FPS-IN-HOLD", 「キュー（SQS: yn-mail-notify）」.
IDENT_AFTER_NOUN = re.compile(
    rf"(?:\s+|\s?の?|\s?[(（]\s?(?:[A-Za-z0-9]+:\s?)?|,\s)[`'\"「『]?{_IDENT}(?![A-Za-z0-9_-])"
)
# A technology or product word may stand between the identifier and its noun: "the scan-events
# Kafka topic", "the notify-high SQS queue".
_TECHNOLOGY = (
    r"(?i:kafka|rabbitmq|rabbit|sqs|sns|redis|postgres(?:ql)?|mysql|mongo(?:db)?|s3|gcs|pub/?sub|"
    r"kinesis|elastic(?:search)?|k8s|kubernetes|celery|sidekiq|airflow|cron|nats|memcached?|"
    r"dynamo(?:db)?|bigquery|cassandra|zookeeper|etcd|docker|helm|lambda)"
)
IDENT_BEFORE_NOUN = re.compile(
    rf"(?<![A-Za-z0-9_./-]){_IDENT}[`'\"」』]?\s*(?:{_TECHNOLOGY}\s+)?の?$"
)
# In Japanese text a lower-case ASCII word right before a Japanese noun for stored data names
# it, even without a separator: 「orders テーブル」「Kafka の orders トピック」
# (not 「gmail サービス」).
DATA_NOUNS_JA = frozenset(
    {"トピック", "キュー", "テーブル", "バケット", "ストリーム", "インデックス", "ジョブ",
     "cronジョブ", "バッチジョブ", "データベース", "待ち行列"}
)  # fmt: skip
WORD_BEFORE_NOUN_JA = re.compile(r"(?<![A-Za-z0-9_./-])(?P<id>[a-z][a-z0-9]{2,})\s?の?$")
GENERIC_WORDS_BEFORE_NOUN_JA = frozenset(
    {"web", "app", "api", "mail", "dns", "cdn", "vpn", "ftp", "sql", "http", "https", "cloud",
     "proxy", "smtp", "line", "sms", "data", "main", "test", "file", "ntp", "ssh"}
)  # fmt: skip
# Looser nouns that name an internal piece only with an identifier in parentheses or apposition
# right after them: "our points system, LOYALTY-SYNC", 「処理（TRN-UPD-NIGHT）」.
# Matched against the lower-cased text.
LOOSE_INFRA_NOUN = re.compile(
    r"\b(?:systems?|batch(?:es)?|process(?:es)?|connectors?|programs?|scripts?|tools?|"
    r"pipelines?|bots?|feeds?|integrations?|modules?)(?![a-z])|システム|バッチ|処理|設定|基盤|"
    r"プログラム|スクリプト|装置|機器|連携|ツール"
)
# The customer's own things before a loose noun: 「お使いのツール」, "your system".
CUSTOMER_SIDE_BEFORE = re.compile(
    r"(?:\byour|\bthe\s+customer's|お客様|お使い|ご利用|ご使用|端末)[^.。、,]{0,16}$"
)
IDENT_IN_APPOSITION = re.compile(
    rf"\s?(?:[(（]\s?(?:[A-Za-z0-9]+:\s?)?|,\s)[`'\"「『]?{_IDENT}(?=[)）,]|\s)"
)

# People named without the incident's context (its people list catches the rest). Group
# "name" (and "name2") is the span reported. English: a role noun before a capitalised name
# ("our on-call engineer Priya"), or a capitalised name doing hands-on work at a sentence start
# ("Mark restarted the cluster"; vendors "are investigating", people "restart"). Japanese: an
# honorific (田中さん, 鈴木氏), 担当の + name, or a common surname acting (中村と高橋が対応).
_NAME = (
    r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{1,15}(?:\s(?!(?:and|is|was|has|had)\b)[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{1,15})?"
)
# One capitalised word.
_NAME1 = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{1,15}"
_ROLE_GATE = (
    "engineer", "on-call", "oncall", "sre", "dba", "dev", "teammate", "colleague", "lead",
    "manager", "admin", "agent", "architect", "analyst", "cto", "ceo", "vp ", "commander",
    "responder",
)  # fmt: skip
_TITLE_GATE = (
    "engineer", "manager", "director", "officer", "lead", "architect", "vp", "cto", "ceo",
    "cio", "ciso", "president", "head",
)  # fmt: skip
# Common Japanese surnames.
_SURNAME = (
    r"(?:"
    r"田中|鈴木|佐藤|高橋|伊藤|渡辺|渡部|山本|中村|小林|加藤|吉田|山田|佐々木|山口|松本|"
    r"井上|木村|斎藤|斉藤|清水|山崎|池田|橋本|阿部|石川|山下|中島|石井|小川|前田|岡田|長谷川|"
    r"藤田|後藤|近藤|村上|遠藤|青木|坂本|福田|太田|西村|藤井|金子|岡本|藤原|三浦|原田|中川|"
    r"松田|竹内|小野|田村|中山|和田|石田|森田|上田|内田|柴田|酒井|宮崎|横山|高木|安藤|宮本|"
    r"大野|小島|工藤|谷口|今井|高田|丸山|増田|杉山|村田|大塚|小山|平野|藤本|河野|野口|武田|"
    r"松井|千葉|岩崎|菅原|木下|久保|佐野|野村|松尾|市川|菊地|杉本|古川|大西|島田|水野|桜井|"
    r"高野|吉川|山内|西田|飯田|菊池|西川|小松|北村|安田|五十嵐|川口|平田|中田|久保田|服部|"
    r"岩田|土屋|川崎|本田|樋口|秋山)"
)
# Each pattern with its gate: lower-case substrings of which one must occur, or () for
# Japanese patterns, scanned only when the text holds kana or kanji.
PERSON_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(
            r"(?-i:\b(?:engineers?|on-?call(?:\s+engineer)?|SREs?|DBAs?|developers?|devs?|"
            r"teammates?|colleagues?|(?:support|team|tech|engineering)\s+leads?|managers?|admins?|"
            r"administrators?|agents?|architects?|analysts?|CTO|CEO|VP\s+of\s+\w+|"
            r"incident\s+commander|responders?))"
            # on one line: "Dear administrator,\n\nAs a follow-up" is a salutation, no name
            rf"(?:\s+on[- ]call)?(?:\s+named)?,?[^\S\n]+(?P<name>{_NAME})"
            rf"(?:,?\s+and\s+(?P<name2>{_NAME}))?(?![\w-])"
        ),
        _ROLE_GATE,
    ),
    # "Priya from our SRE team", "thanks to Sarah Chen"
    (
        re.compile(
            r"(?P<name>(?<![A-Za-z])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,15}(?:\s[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,15})?)\s+(?:from|on|of|in)\s+"
            r"(?:our|the)\s+(?:[\w-]+\s+){0,2}team\b"
            # "Kateryna from our payments crew", "Lena from eng", "Isabela on billing"
            r"|(?P<name4>(?<![A-Za-z])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,15})\s+(?:(?:from|on)\s+(?:our|the)\s+"
            r"(?:[\w-]+\s+){0,2}(?:group|squad|crew)\b|from\s+(?:eng|engineering|ops|infra|sre|"
            r"devops)\b(?!\s+\w+\s+team)|on\s+(?:billing|payments|eng|ops|infra|sre)\b)"
            r"|(?i:\b(?:thanks|thank\s+you|kudos|shout[- ]?outs?|credit)\s+to\s+)"
            r"(?P<name2>[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,15}\s(?!(?:Corp|Inc|Ltd|Labs|Team|Support|Group|Systems)\b)"
            r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,15})"
            # a shout-out to one person: "shoutout to Kenji who found the bug", "(kudos Raj)"
            r"|(?i:\b(?:kudos|shout[- ]?outs?|(?:big|huge)\s+thanks)\s+(?:to\s+)?)"
            r"(?P<name3>[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,15})(?:\s+and\s+(?P<name5>[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,15}))?"
            r"(?=\s+(?:who|and|for|from|on|in)\b|\s*[)!,.])"
        ),
        ("team", "group", "squad", "crew", "from", " on ", "thank", "kudos", "shout", "credit"),
    ),
    # Where someone sits: "Jenna in infra", "Dan in SRE", "Marco on our side", "Kevin on the IT
    # side", "Priyanka and Tom in IT Services"
    (
        re.compile(
            rf"(?<![A-Za-z])(?:(?P<name2>{_NAME1})\s+and\s+)?(?![A-Za-z]+(?:ed|ing)\b)"
            rf"(?P<name>{_NAME1})\s+"
            r"(?:(?:in|from|on)\s+(?:(?-i:IT|SRE|DBA|QA|NOC|SOC)|(?i:infra|infrastructure|eng|"
            r"engineering|ops|devops|backend|back-end|frontend|networking|network\s+ops|security|"
            r"billing|payments|finance|compliance|"
            r"platform|the\s+(?:backend|infra|platform|network|networking|ops|IT|data)\s+(?:team|side)))\b"
            r"|on\s+(?:our|the\s+[A-Za-z]+)\s+(?:side|end)\b)"
        ),
        (" in ", " on ", " from "),
    ),
    # A role before the name: "our tech guy Nikhil", "Our IT lead Gareth", "Our IT technician,
    # Mr Okafor", "our Head of Systems, Mr Alan Price"
    (
        re.compile(
            r"(?i:\b(?:our|the|their)\s+(?:[a-z-]+\s+){0,2}(?:guy|gal|person|lead|technician|tech|"
            r"engineer|specialist|admin|administrator|manager|librarian|officer|head\s+of\s+[a-z]+))"
            r"\s*,?\s+(?:(?:Mr|Ms|Mrs|Mx|Dr)\.?\s+)?"
            rf"(?P<name>{_NAME})(?![\w-])"
        ),
        (
            "guy",
            "gal",
            "person",
            "lead",
            "tech",
            "engineer",
            "specialist",
            "admin",
            "manager",
            "librarian",
            "officer",
            "head of",
        ),
    ),
    # A signature: "Brian Scanlan, Senior Principal Systems Engineer"
    (
        re.compile(
            r"(?P<name>(?<![A-Za-z])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{1,15}\s[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{1,20}),\s+(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+\s+){0,4}"
            r"(?:Engineer|Manager|Director|Officer|Lead|Architect|VP|CTO|CEO|CIO|CISO|President|Head)\b"
        ),
        _TITLE_GATE,
    ),
    (
        re.compile(r"(?P<name>(?<![一-龯々])[一-龯々]{1,4}|[ァ-ヶー]{2,10})(?:さん|氏)(?![一-龯])"),
        (),
    ),
    (
        re.compile(
            r"(?:担当(?:者|エンジニア|の技術者)?|エンジニア|開発者|技術者|オンコール(?:担当)?|SRE)の"
            r"(?P<name>[一-龯々]{1,3}|[ァ-ヶー]{2,10}|[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{1,15})(?=が|より|から|、|にて|は)"
        ),
        (),
    ),
    # 「ネットワーク運用部の佐々木を中心に」「開発部 木村」「リーダー：高橋」
    # 「運用担当の西田・北川が」
    (
        re.compile(
            r"(?:部|課|室|チーム|班|グループ|担当|リーダー|責任者|エンジニア)(?:の|：|:|\s)\s?"
            rf"(?P<name>{_SURNAME})(?:・(?P<name2>{_SURNAME}))?(?![一-龯々ァ-ヶ]|\s?(?:様|さま))"
        ),
        (),
    ),
    # 「高橋（SRE）いわく」「オンコール担当（小野）」「委託先の担当者（鈴木・中川）」
    (
        re.compile(
            # not a customer-facing role: 「佐藤（サポート担当）」「山田（営業部）」
            rf"(?P<name>{_SURNAME})[（(](?!サポート|窓口|営業|カスタマー|お客様|受付|コール)"
            r"(?:SRE|DBA|インフラ|開発|運用|情シス|ネットワーク|"
            r"オンコール|[A-Za-z]{2,8}|[一-龯ァ-ヶー]{1,8}(?:部|課|チーム|担当|班))[)）]"
            # nor the person who will contact the customer: 「担当（鈴木）よりご連絡いたします」
            r"|(?<!サポート)(?<!窓口)(?<!営業)(?<!カスタマー)(?<!お客様)"
            r"(?:担当(?:者)?|エンジニア|技術者|SRE|オンコール)[（(]"
            rf"(?P<name2>{_SURNAME}|[一-龯々]{{1,3}})(?:・(?P<name3>{_SURNAME}|[一-龯々]{{1,3}}))?[)）]"
            r"(?!\s?(?:より|から)\s?(?:ご連絡|ご案内|お電話|連絡|折り返し|ご説明))"
        ),
        (),
    ),
    (
        re.compile(
            rf"(?<![一-龯々])(?P<name>{_SURNAME})"
            r"(?:(?:(?!様)[一-龯々]){1,2}(?=が|は|と|さん|氏))?"
            r"(?:(?:と|、)(?P<name2>[一-龯々]{2,4}))?(?=が|は|と|より|から|により|さん|氏|にて|で(?:対応|調査))"
        ),
        (),
    ),
)
# A capitalised name doing hands-on work: the verb is found first, then the name before it.
PERSON_ACTION = re.compile(
    r"(?:\s+|(?='s\s))(?:(?:has|had|just)\s+)?(?:restarted|rebooted|rolled\s+back|reverted|redeployed|"
    r"re-?ran|paged|escalated|spotted|flipped|drained|bounced|kicked\s+off|failed\s+over|"
    r"thinks|believes|suspects|reckons|"
    r"(?:is|are|'s)\s+(?:on\s+it|debugging|restarting|pushing|rolling\s+(?:back|out)|reverting|leading|restoring|"
    r"fixing|patching|rebuilding|backfilling|re-?running|"
    r"deploying|working\s+on|handling|looking\s+into))\b"
)
NAME_BEFORE_ACTION = re.compile(
    r"(?:^|(?<=[.!?;:]\s)|(?<=\n)|(?<=,\s)|(?<=\band\s)|(?<=\bthen\s))"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,15}(?:\s[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,15})?)"
    r"(?:\s+(?:and|&)\s+(?P<name2>[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,15}(?:\s[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,15})?))?$"
)
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Capitalised words that start sentences and are not people.
NOT_A_NAME = frozenset(
    {
        "we", "our", "the", "this", "that", "it", "they", "someone", "everyone", "nobody", "team",
        "hello", "hi", "greetings", "regards", "cheers", "thanks", "love", "engineers", "folks",
        "engineering", "support", "ops", "operations", "automation", "monitoring", "system",
        "service", "customers", "users", "one", "another", "then", "also", "finally", "today",
        "api", "dashboard", "console", "portal", "panel", "settings", "page", "app", "status",
        "teams", "cloud", "platform", "staff", "partner", "provider", "vendor",
        "sorry", "update", "note", "please", "nothing", "fix", "patch",
        "release", "change", "rollback", "deployment", "mitigation", "search", "checkout",
        "billing", "payments", "login", "sync", "email", "mail", "everything", "all", "both",
    }
)  # fmt: skip

EMAIL = re.compile(rf"{L}[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}{R}")
# Shared role mailboxes are published on purpose; they are not personal data.
ROLE_MAILBOX = re.compile(
    r"^(?:support|help|status|noreply|no-reply|info|security|abuse|privacy|billing|sales|"
    r"contact|team|hello|feedback|press|legal|compliance|dpo|care|service|cs)(?:[+.-][\w.-]*)?@",
    _I,
)
PHONE = re.compile(
    r"(?<![\w:/.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{2,4}[\s.-]\d{3,4}"
    r"(?![\w:/-]|\.\d)|(?<![\w:/.-])\+\d{9,14}(?![\w:/-]|\.\d)|(?<![\w:/.-])0[789]0\d{8}(?!\d)"
)
# A run that could hold a phone number; PHONE (slow: lookbehinds and optional prefixes) is
# then matched only around such runs.
PHONE_HINT = re.compile(r"\d[\d\s().+-]{7,}\d")
DATE_LIKE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")

# Substrings of the lower-cased text one of which each PLACEHOLDERS pattern needs, in order.
PLACEHOLDER_GATES: tuple[tuple[str, ...], ...] = (
    ("{", "%("),
    ("<",),
    ("<",),
    ("[",),
    ("xxx", "todo", "fixme", "tbd", "tbc"),
    ("lorem",),
    ("xx",),
)
PLACEHOLDERS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\{\{[^{}\n]{0,80}\}\}|\$\{[^{}\n]{1,80}\}|\{[a-z_]{2,40}\}|%\([a-z_]+\)s"),
    re.compile(r"<(?:insert|add|fill|enter|your)\b[^<>\n]{0,80}>", _I),
    re.compile(r"<[A-Z][A-Z0-9 _/|-]{1,40}>"),
    re.compile(
        r"\[(?:TBD|TBC|TODO|TK|XXX+|PLACEHOLDER|INSERT[^\]\n]*|FILL[^\]\n]*"
        r"|[A-Z _/|-]*(?:NAME|DATE|TIME|COMPONENT|CUSTOMER|REGION|PRODUCT|SERVICE|FEATURE|IMPACT"
        r"|LINK|URL|NUMBER|COUNT|PERCENT|DURATION|WORKAROUND|DETAILS?|SOME|ALL)[A-Z _/|-]*"
        r"|(?:insert|add|fill in|enter)\b[^\]\n]{0,60}|[a-z]+(?:_[a-z]+)+)\]",
    ),
    re.compile(rf"{L}(?:XXX+|TODO|FIXME|TBD|TBC){R}"),
    re.compile(r"\blorem ipsum\b", _I),
    re.compile(rf"{L}XX+(?=\s?(?:%|minutes|hours|customers|UTC|:))"),
)
