"""English rule pack."""

from __future__ import annotations

import re

from guards.rules import RulePack, TimePattern

_I = re.IGNORECASE

_NUMBER = (
    r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|"
    r"thirty|forty[- ]five|sixty|ninety|(?:a\s+)?(?:few|couple(?:\s+of)?)|several|half an?)"
)
_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|business days?)"
_CLOCK = (
    r"(?:\d{1,2}(?::\d{2})?\s?(?:a\.?m\.?|p\.?m\.?)|\d{1,2}:\d{2}(?:\s?(?:UTC|GMT|[A-Z]{2,4}T))?"
    r"|noon|midnight)"
)
_DAY = (
    r"(?:(?:the\s)?end\s+of\s+(?:the\s+)?(?:day|week|business\s+day)|EOD|COB|tonight|tomorrow"
    r"(?:\s+(?:morning|afternoon|evening))?|today|this\s+(?:morning|afternoon|evening|week)|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))"
)

# Modal verbs, but not a capitalised "May" mid-sentence: that is a person's name or the month.
_MODAL = r"(?-i:may|might|could|(?<![a-z,] )May|Might|Could)"

ETA_TIMES = (
    # "within 10 minutes", "within the hour", "within the next two hours"
    TimePattern(
        re.compile(rf"\bwithin\s+(?:the\s+)?(?:next\s+)?(?:{_NUMBER}\s+)?{_UNIT}", _I),
        False,
        ("within",),
    ),
    TimePattern(re.compile(r"\bwithin\s+the\s+(?:hour|day)\b", _I), True, ("within",)),
    # "in the next hour", "over the next few hours", "in the coming hours"
    TimePattern(
        re.compile(rf"\b(?:in|over|during)\s+the\s+(?:next|coming)\s+(?:{_NUMBER}\s+)?{_UNIT}", _I),
        True,
        ("next", "coming"),
    ),
    # "in 20 minutes", "in about an hour", "in a few hours"
    TimePattern(
        re.compile(
            rf"\bin\s+(?:about\s+|approximately\s+|around\s+|roughly\s+|under\s+|less than\s+)?"
            rf"{_NUMBER}\s+{_UNIT}",
            _I,
        ),
        False,
    ),
    # "take about 2 hours", "take a few more minutes"
    TimePattern(
        re.compile(
            rf"\btake\s+(?:about\s+|approximately\s+|around\s+|up to\s+|roughly\s+|another\s+)?"
            rf"{_NUMBER}\s+(?:more\s+)?{_UNIT}",
            _I,
        ),
        False,
    ),
    # "by 3pm", "by 15:00 UTC", "by end of day", "by tomorrow"
    TimePattern(
        re.compile(rf"\b(?:by|before|around|at)\s+(?:about\s+)?{_CLOCK}", _I),
        False,
        ("am", "a.m", "pm", "p.m", ":", "noon", "midnight"),
    ),
    TimePattern(re.compile(rf"\bby\s+{_DAY}\b", _I), True),
    TimePattern(re.compile(r"\blater\s+(?:today|tonight|this\s+\w+)\b", _I), True, ("later",)),
    TimePattern(
        re.compile(rf"\b(?:today|tonight|tomorrow|{_DAY})\b", _I),
        False,
        ("day", "tonight", "tomorrow", "eod", "cob", "this", "end"),
    ),
    # "shortly", "soon", "momentarily" but not "as soon as" or "shortly after"
    TimePattern(
        re.compile(
            r"(?<!as )\b(?:shortly|soon|momentarily|imminently|any\s+minute\s+now)\b"
            r"(?!\s+(?:as|after|before|thereafter|afterwards?)\b)",
            _I,
        ),
        True,
        ("shortly", "soon", "momentarily", "imminently", "any minute"),
    ),
    TimePattern(re.compile(r"\bin\s+no\s+time\b", _I), True, ("no time",)),
)

RULES = RulePack(
    locale="en",
    sentence_end=re.compile(r"(?<=[.!?])\s+|\n+"),
    clause_break=re.compile(
        r"[,;:()]|\s(?:and|but|while|whereas|as we|as our|once|after|so)\s|\s-\s", _I
    ),
    eta_times=ETA_TIMES,
    eta_explicit=re.compile(
        r"\bETAs?\b|\bETR\b|\bestimated\s+(?:time\s+(?:of|to|for)\s+)?"
        r"(?:resolution|recovery|restoration|fix|completion)\b|"
        r"\b(?:expected|estimated|projected|target)\s+(?:resolution|recovery|restoration)\s+time\b",
        _I,
    ),
    eta_explicit_gate=("eta", "etr", "estimated", "expected", "projected", "target"),
    eta_negation=re.compile(
        r"\b(?:no|not|n't|don't|do not|cannot|can't|unable|without|yet to|unknown|TBD|"
        r"no longer)\b",
        _I,
    ),
    update_words=re.compile(
        r"\b(?:updates?|updated|updating|information|info|details?|news|post(?:ing)?|"
        r"communicat\w*|report back|check back|follow[- ]up|follow|notify|inform|share more|"
        r"more to share|next\s+(?:update|post|message))\b",
        _I,
    ),
    restore_words=re.compile(
        r"\b(?:resolv\w*|resolution|restor\w*|recover\w*|fix\w*|back\b|available|availability|"
        r"complete\w*|normal\w*|operational|mitigat\w*|deploy\w*|up and running|online|"
        r"roll\w*\s+(?:it\s+|them\s+|this\s+|the\s+\w+\s+)?out|go(?:es)?\s+out|go\s+live|"
        r"ship\w*|land\w*|releas\w*|patch\w*|"
        r"working|function\w*|process\w*|clear\w*|catch up|caught up|stabili[sz]\w*|return\w*|"
        r"resum\w*|done|finish\w*|deliver\w*|sen[dt]\w*|arriv\w*|reach\w*|"
        r"load\w*|respond\w*|accessible|healthy|stable|better|improv\w*)",
        _I,
    ),
    future_markers=re.compile(
        r"\b(?:will|'ll|shall|should|expect\w*|estimat\w*|anticipat\w*|aim\w*|plan\w*|hope\w*|"
        r"going to|projected|forecast\w*|target\w*|on track|scheduled|intend\w*|predict\w*|"
        r"likely to|ready|ought)\b",
        _I,
    ),
    past_markers=re.compile(
        r"\b(?:was|were|had|took|lasted|ago|yesterday|earlier|previously|spent)\b", _I
    ),
    eta_fix="We will provide another update within 30 minutes.",
    speculation=(
        re.compile(
            r"\b(?:probably|presumably|perhaps|maybe|possibly|conceivably|supposedly|"
            r"allegedly|apparently)\b",
            _I,
        ),
        re.compile(
            r"\b(?:we|i|engineers?|the team|our team|our engineers)\s+(?:currently\s+|now\s+|"
            r"still\s+|strongly\s+)?(?:believe|think|suspect|assume|guess|speculate|"
            r"suppose|presume|feel)\w*\b",
            _I,
        ),
        re.compile(
            r"\b(?:suspected|suspicion|hypothes[ie]s|theory|unconfirmed|unverified|"
            r"not\s+(?:yet\s+)?(?:been\s+)?confirmed|best guess)\b",
            _I,
        ),
        # "likely due to", "most likely", "is likely the cause" - but not "likely to experience"
        re.compile(
            r"\b(?:most\s+|very\s+|highly\s+|more\s+than\s+)?(?:un)?likely\b(?!\s+to\s+(?:"
            r"experience|see|notice|encounter|be\s+(?:affected|impacted|delayed|slow)|"
            r"receive|have|face|observe))",
            _I,
        ),
        re.compile(r"\b(?:possible|potential|probable|suspected)\s+(?:root\s+)?causes?\b", _I),
        re.compile(
            r"\b(?:potentially|possibly)\s+(?:caused|due|related|linked|triggered|other|all|"
            r"more|every)\b",
            _I,
        ),
        # Modal + cause: "may be caused by", "might have been due to", "could be related"
        re.compile(
            rf"\b(?:{_MODAL}|can)\s+(?:also\s+|well\s+)?(?:have\s+)?(?:be|been)\s+"
            r"(?:\w+\s+)?(?:caused|due|related|linked|connected|triggered|the\s+result|"
            r"because|attribut\w+|a\s+(?:result|consequence|side effect)|an?\s+\w*\s?(?:bug|"
            r"attack|misconfiguration|regression)|the\s+(?:root\s+)?cause|resolved|fixed|"
            r"restored|back|over)\b",
            _I,
        ),
        # Modal + outcome/scope guesses: "might resolve itself", "could take hours",
        # "may affect all customers", "may spread", "could get worse"
        re.compile(
            rf"\b{_MODAL}\s+(?:also\s+)?(?:resolve|fix|recover|return|take(?!\s+longer)|last|"
            r"spread|worsen|get\s+worse|escalate|(?:affect|impact)\s+(?:all|every|more|other)|"
            r"stem|originate|come\s+from|be\s+coming\s+from)\w*\b",
            _I,
        ),
        re.compile(
            r"\b(?:it|this|that|the\s+(?:issue|problem|outage|incident|error)s?)\s+"
            r"(?:appears?|seems?|looks?)\s+(?:to\s+(?:be|have\s+been)\s+|like\s+)?"
            r"(?:\w+\s+){0,3}(?:caused|due|related|linked|triggered|because|the\s+result|"
            r"a\s+(?:bug|problem|result)|an?\s+(?:upstream|attack))\b",
            _I,
        ),
        re.compile(r"\b(?:it|this)\s+(?:looks|sounds)\s+like\b", _I),
        re.compile(
            r"\b(?:cause|culprit|source|trigger|origin|reason)\s+(?:appears|seems|looks|may|"
            r"might|could|is\s+(?:probably|likely|possibly))\b",
            _I,
        ),
        # "appears to be caused by", "seems to be related to", whatever the subject
        re.compile(
            r"\b(?:appears?|appeared|seems?|seemed|looks?)\s+to\s+(?:be\s+|have\s+been\s+)?"
            r"(?:\w+\s+){0,2}?(?:caused|due|related|linked|tied|connected|triggered|"
            r"attribut\w+|the\s+result|the\s+(?:root\s+)?cause|stem\w*|originat\w*)\b",
            _I,
        ),
        # "It is possible that ...", "there is a possibility that ..."
        re.compile(r"\bpossib(?:le|ility)\s+that\b", _I),
        re.compile(
            r"\bwe(?:'re| are)\s+(?:not\s+(?:yet\s+)?(?:sure|certain)|fairly\s+"
            r"(?:sure|confident)|reasonably\s+(?:sure|confident))\b",
            _I,
        ),
        re.compile(r"\b(?:points?|pointing)\s+to\b|\bsuggest(?:s|ing)?\s+that\b", _I),
    ),
    speculation_exempt=re.compile(
        r"\bwe\s+(?:think|believe)\s+(?:you\b|in\b|it(?:\s+is|'s)\s+(?:important|right|fair|"
        r"best))",
        _I,
    ),
    status_words=re.compile(
        r"\b(?:investigat\w*|identified|identify\w*|monitor\w*|resolv\w*|fix(?:ed|es)?\b|"
        r"mitigat\w*|looking into|aware of|working (?:on|to)|restor\w*|recover\w*|"
        r"operational|root cause|deploy\w*|implement\w*|roll(?:ed|ing)? (?:out|back)|"
        r"back to normal|completed|under way|underway|in progress|are seeing|continue\w*)",
        _I,
    ),
    impact_words=re.compile(
        r"\b(?:affect\w*|impact\w*|unable|cannot|can't|could not|couldn't|delay\w*|slow\w*|"
        r"errors?|fail\w*|unavailable|unreachable|outage|degrad\w*|disrupt\w*|intermittent\w*|"
        r"latenc\w*|time ?outs?|timing out|down\b|not\s+(?:working|loading|arriving|"
        r"receiving|available|accessible|responding|being)|issues?\s+with|problems?\s+with|"
        r"trouble|interrupt\w*|working\s+(?:normally|as\s+expected)|no\s+(?:customer\s+)?impact|"
        r"may\s+(?:experience|see|notice|encounter)|missing|lost|incorrect\w*|backlog|queued|"
        r"stuck|inaccessible|elevated|increased|spike|users?\s+(?:can|may|might|will))",
        _I,
    ),
    symptom_words=re.compile(
        r"\b(?:delay\w*|slow\w*|errors?|timeouts?|timing out|fail\w*|unavailable|outage|"
        r"latency|login|log in|sign[- ]in|sms|push|e-?mails?|payments?|checkout|webhooks?|"
        r"notifications?|uploads?|downloads?|search|api|dashboard|billing|invoices?|"
        r"exports?|imports?|sync\w*|builds?|deploy\w*|dns|ssl|certificates?)\b",
        _I,
    ),
    region_words=re.compile(
        r"\b(?:(?:us|eu|ap|sa|ca|me|af)-(?:north|south|east|west|central|northeast|southeast|"
        r"northwest|southwest)\w*-?\d*|EU|US|USA|APAC|EMEA|Europe|Asia|Australia|Japan|Tokyo|"
        r"Osaka|Singapore|Sydney|Frankfurt|London|Dublin|Virginia|Oregon|Ohio|California|"
        r"India|Brazil|Canada)\b"
    ),
    placeholders=(),
    speculation_gates=(
        (
            "probabl",
            "presumabl",
            "perhaps",
            "maybe",
            "possibl",
            "conceivabl",
            "supposedl",
            "allegedl",
            "apparentl",
        ),
        ("believe", "think", "suspect", "assum", "guess", "speculat", "suppos", "presum", "feel"),
        (
            "suspect",
            "suspicion",
            "hypothes",
            "theory",
            "unconfirmed",
            "unverified",
            "confirmed",
            "best guess",
        ),
        ("likely",),
        ("cause",),
        ("potentially", "possibly"),
        ("may", "might", "could", "can"),
        ("may", "might", "could"),
        ("appear", "seem", "look"),
        ("looks like", "sounds like"),
        ("cause", "culprit", "source", "trigger", "origin", "reason"),
        ("appear", "seem", "look"),
        ("possib",),
        ("sure", "certain", "confident"),
        ("point", "suggest"),
    ),  # fmt: skip
    messages={
        "eta": (
            'Do not promise when service will be restored ("{text}"). Remove it and promise '
            "when the next update comes instead."
        ),
        "speculation": (
            'This guesses about the cause, scope or outcome ("{text}"). State only what is '
            "confirmed, or say the cause is still being investigated."
        ),
        "internal_detail": (
            'Customers do not need internal detail ("{text}"). Describe the affected feature '
            "in public terms."
        ),
        "internal_detail_alias": (
            '"{text}" is an internal name. Use the public component name "{fix}" instead.'
        ),
        "pii": 'Remove personal data ("{text}") from the public message.',
        "length": ("The message is too long for {channel} ({size} of {limit} {unit}). Shorten it."),
        "placeholder": 'Fill in or remove the template placeholder "{text}".',
        "missing_status": (
            "Say where the incident stands: investigating, identified, monitoring or resolved."
        ),
        "missing_impact": (
            "Say how customers are affected (for example which feature is slow or unavailable)."
        ),
        "ungrounded": ('"{text}" is not supported by the incident record. Check it or remove it.'),
    },
)
