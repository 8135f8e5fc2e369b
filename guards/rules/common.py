"""Locale-independent patterns: internal identifiers, personal data and template slots."""

from __future__ import annotations

import re

_I = re.IGNORECASE
# Python's \b treats CJK as word characters, so ASCII tokens inside Japanese text need explicit
# ASCII-only boundaries.
L = r"(?<![A-Za-z0-9_])"
R = r"(?![A-Za-z0-9_])"

URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'）)\]」、。]+", _I)
INTERNAL_URL_HOST = re.compile(
    r"grafana|kibana|jenkins|datadog|splunk|sentry|pagerduty|opsgenie|argocd|prometheus|"
    r"localhost|intranet|(?:^|\.)wiki\.|(?:^|\.)confluence\.|(?:^|\.)jira\.|\.internal\b|\.corp\b|"
    r"\.local\b|\.lan\b|\.intra\b|\.svc\b|^\d{1,3}(?:\.\d{1,3}){3}$|:\d{2,5}$|"
    r"(?:^|\.)(?:admin|ops|dash|dashboards?|grafana|metrics|logs|ci|build|vpn)\.",
    _I,
)
INTERNAL_URL_PATH = re.compile(
    r"github\.com/[^/\s]+/[^/\s]+/(?:pull|commit|issues|actions/runs)/|atlassian\.net/browse/|"
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
    ("ip", re.compile(rf"{L}(?:\d{{1,3}}\.){{3}}\d{{1,3}}(?:/\d{{1,2}})?(?::\d{{2,5}})?(?![\d.])")),
    (
        "ipv6",
        re.compile(rf"{L}(?=[0-9a-f:]*[a-f])[0-9a-f]{{1,4}}(?::[0-9a-f]{{0,4}}){{4,7}}{R}", _I),
    ),
    ("snake", re.compile(rf"{L}[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+{R}")),
    ("kebab", re.compile(r"(?<![A-Za-z0-9_./#-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+(?![\w-])")),
    # Roots are checked in Python (HOST_ROOTS): one big alternation per position is slow.
    ("host_digits", re.compile(rf"{L}([A-Za-z][A-Za-z0-9]*?)_?\d+[a-z]?{R}")),
    (
        "exception",
        re.compile(
            rf"{L}(?:[A-Z][a-z0-9]+)+(?:Exception|Error|Fault){R}|{L}(?:Traceback|OOMKilled|"
            rf"OOM[- ]?kill(?:ed|er)?|CrashLoopBackOff|ImagePullBackOff|SIG(?:KILL|TERM|SEGV|ABRT)"
            rf"|segfault|segmentation fault|stack ?traces?|core dump(?:ed)?|heap dump|goroutine"
            rf"|kernel panic|panic:|E(?:CONNREFUSED|CONNRESET|TIMEDOUT|ADDRINUSE|NOSPC))"
            rf"|File \"[^\"]+\", line \d+|{L}at [\w.$]+\([\w.]+:\d+\)|スタックトレース",
        ),
    ),
    (
        "ticket",
        re.compile(
            rf"{L}([A-Z][A-Z0-9]{{1,9}})-\d+(?![A-Za-z0-9_-])"
            rf"|{L}(?:PR|MR|CL)\s?[#!]?\s?\d+{R}|(?:pull|merge) request\s?#?\s?\d+"
            rf"|(?:ticket|bug|change|CR|PR)\s?#\s?\d+|(?:commit|sha|revision|rev)\s+[0-9a-f]{{7,40}}{R}",
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
            r"(?<![\w&#])#(?:(?:inc|incident|ops|eng|sre|oncall|on-call|alerts?|war-?room|dev|"
            r"prod|infra|platform|team|sec|security|noc)[a-z0-9_-]*|[a-z0-9]+(?:[-_][a-z0-9]+)+)"
        ),
    ),
)

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
        "exception", "error", "fault", "traceback", "oom", "crashloop", "imagepull", "sig",
        "segfault", "segmentation", "stack", "core dump", "heap dump", "goroutine", "panic",
        "econn", "etimedout", "eaddr", "enospc", 'file "', "(", "スタックトレース",
    ),
    "ticket": re.compile(r"[A-Z0-9]-\d|PR|MR|CL|request|#|commit|sha|rev"),
    "tool": (
        "grafana", "kibana", "jenkins", "splunk", "datadog", "pagerduty", "opsgenie", "argo",
        "spinnaker", "prometheus", "alertmanager", "nagios", "zabbix", "kubectl", "runbook",
    ),
    "channel": ("#",),
    "url": ("http", "www."),
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

# Public names that look like internal identifiers.
KEBAB_ALLOWED_FIRST = frozenset(
    {
        "utf", "sha", "covid", "gpt", "iso", "rfc", "md", "h", "x", "cve", "ipv", "mp", "wi",
        "e", "t", "b", "k", "p", "s", "windows", "ios", "macos", "android", "claude", "gemini",
        "llama", "o", "pre", "post", "non", "re", "co", "multi", "anti", "sub", "top", "in",
        "x86", "arm", "ddr", "usb", "wpa", "tls", "ssl", "http", "http2", "level", "tier", "log",
        "sign", "opt", "two", "3d", "2fa", "2-factor",
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
DATE_LIKE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")

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
