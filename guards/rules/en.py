"""English rule pack."""

from __future__ import annotations

import re

from guards.rules import RulePack, TimePattern

_I = re.IGNORECASE

_NUMBER = (
    r"(?:~\s?\d+(?:\.\d+)?|\d+(?:\.\d+)?(?:\s?(?:-|\u2013|to|or)\s?\d+(?:\.\d+)?)?(?:-?ish)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|"
    r"thirty|forty[- ]five|sixty|ninety|(?:a\s+)?(?:few|couple(?:\s+of)?)|several|half an?)"
)
_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|business days?|half[- ]hour|weeks?|(?<=\d)[mh])\b"
_ZONE = r"(?:UTC|GMT|Z|[A-Z]{1,3}T|CET|CEST|JST|IST|AEST|AEDT)"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CLOCK = (
    r"(?:\d{1,2}(?::\d{2})?\s?(?:a\.?m\.?|p\.?m\.?)(?:\s?" + _ZONE + r")?"
    r"|\d{1,2}:\d{2}(?:\s?" + _ZONE + r")?|\d{1,2}\s?(?-i:PT|ET|CT|MT|UTC|GMT|CET|JST)\b"
    r"|[0-2]\d[0-5]\d\s?(?-i:UTC|GMT|Z|hrs)\b|(?:half|quarter)\s+(?:past|to)\s+\w+"
    r"|(?:mon|tue|wed|thu|fri|sat|sun)\w*\.?,?\s+\d{1,2}/\d{1,2}"
    r"|"
    + _MONTH
    + r"\s+\d{1,2}(?:st|nd|rd|th)?\b|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH
    + r"|the\s+\d{1,2}(?:st|nd|rd|th)\b|noon|midnight)"
)
_DAY = (
    r"(?:(?:early|late|mid)[- ]?)?(?:(?:the\s)?(?:end|close)\s+of\s+(?:the\s+)?"
    r"(?:day|week|business(?:\s+day)?)|EOD|COB|tonight|"
    r"(?:tomorrow|tmrw|tmr)"
    r"(?:\s+(?:morning|afternoon|evening|am|pm))?|today|overnight|"
    r"this\s+(?:morning|afternoon|evening|week)|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:early\s+|late\s+|later\s+)?(?:next|this\s+coming)\s+(?:week|month|weekend|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:the|this)\s+weekend)"
)

# Maintenance that overruns is an outage with a new end time: its window is an ETA.
# A fix told as done at a clock time: "we deployed a fix at 13:05 UTC", "restored it around 9"
_PAST_CLOCK = (
    r"(?:deployed|shipped|released|applied|pushed|rolled\s+(?:out|back)|reverted|restored|"
    r"resolved|fixed|recovered|mitigated)\s+(?:[\w-]+\s+){0,4}?(?:at|around|just\s+after|"
    r"shortly\s+after|just\s+before)\s+~?\d+"
)
_NOT_OVERRUN = (
    r"(?![^.]*\b(?:taking\s+longer|longer\s+than|overr(?:un|an)\w*|extend\w*|running\s+(?:past|over|late|"
    r"behind)|will\s+now|now\s+(?:run|expected|last|remain|continue|finish|complete|end))\b)"
)
# After a bare number ("back by 5", "fixed in 30"), a word that is not a hedge or a conjunction
# makes it a count of something else ("at 3 sites", "in 15 countries").
_NOT_A_HEDGE = (
    r"(?!(?:apparently|maybe|probably|hopefully|supposedly|or\s+so|ish|tops|and|then|but|they|"
    r"we|he|she|i|if|once|when|after|unless|as|fingers|lol|max|latest|at\s+the\s+latest)\b)"
)
# Modal verbs, but not a capitalised "May" mid-sentence: that is a person's name or the month.
_MODAL = r"(?-i:may|might|could|(?<![a-z,] )May|Might|Could)"

ETA_TIMES = (
    # "within 10 minutes", "within the hour", "within the next two hours"
    TimePattern(
        re.compile(
            rf"\bwithin\s+(?:the\s+)?(?:next\s+)?(?:(?:about|around|roughly|approximately|approx\.?|"
            rf"~)\s*)?(?:{_NUMBER}\s+)?{_UNIT}",
            _I,
        ),
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
            rf"\bin\s+(?:about\s+|approximately\s+|approx\.?\s*|around\s+|roughly\s+|under\s+|"
            rf"less than\s+)?"
            rf"{_NUMBER}\s*{_UNIT}",
            _I,
        ),
        False,
    ),
    # "take about 2 hours", "take a few more minutes"
    TimePattern(
        re.compile(
            rf"\btake\s+(?:about\s+|approximately\s+|approx\.?\s*|around\s+|up to\s+|roughly\s+|"
            rf"another\s+)?"
            rf"{_NUMBER}\s+(?:more\s+)?{_UNIT}",
            _I,
        ),
        False,
    ),
    # "by 3pm", "by 15:00 UTC", "by end of day", "by tomorrow"
    TimePattern(
        re.compile(
            rf"\b(?:by|before|around|at|until|till|(?:no|not)\s+later\s+than|prior\s+to|"
            rf"(?:shortly|just|soon|right)\s+(?:after|before)|"
            rf"approximately|about)\s+(?:about\s+|approximately\s+|approx\.?\s*|around\s+)?{_CLOCK}",
            _I,
        ),
        False,
        (
            "by",
            "before",
            "around",
            "at ",
            "until",
            "till",
            "later than",
            "prior to",
            "after",
            "approximately",
            "about",
        ),
    ),
    # A bare hour in chat: "fully back by 4", "the fix deploys at 6" - not "at 3 sites"
    TimePattern(
        re.compile(
            r"\b(?:at|by|around|before)\s+(?:about\s+|around\s+|~\s?)?\d{1,2}"
            rf"(?!\d|[:/%]|[.,]\d|-\s?\d|\s*(?:%|{_NOT_A_HEDGE}[A-Za-z]))",
            _I,
        ),
        False,
        ("at ", "by ", "around", "before"),
    ),
    # A count or hour without its unit right after a restoration word: "back up in 15",
    # "fixed in 30", "back by 5 once the fix is out"
    TimePattern(
        re.compile(
            r"\b(?:back|fixed|sorted|up|done|live|working|restored|resolved|open)\s+(?:up\s+|again\s+)?"
            r"(?:in|by|around|before)\s+(?:about\s+|around\s+|~\s?)?\d{1,3}"
            rf"(?!\d|[:/%]|[.,]\d|\s*(?:%|{_NOT_A_HEDGE}[A-Za-z]))",
            _I,
        ),
        True,
        (" in ", " by ", "around", "before"),
    ),
    TimePattern(re.compile(rf"\bby\s+{_DAY}\b", _I), True),
    TimePattern(re.compile(r"\blater\s+(?:today|tonight|this\s+\w+)\b", _I), True, ("later",)),
    TimePattern(
        re.compile(rf"\b(?:today|tonight|tomorrow|{_DAY})\b", _I),
        False,
        (
            "today",
            "tonight",
            "tomorrow",
            "close of",
            "eod",
            "cob",
            "this morning",
            "this afternoon",
            "this evening",
            "this week",
            "end of",
            "next week",
            "next month",
            "next mon",
            "next tue",
            "next wed",
            "next thu",
            "next fri",
            "next sat",
            "next sun",
            "weekend",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "end of day",
            "end of the",
            "tmr",
            "overnight",
            "morning",
            "afternoon",
            "evening",
            "lunch",
            "dinner",
        ),
    ),
    # "shortly", "soon", "momentarily" but not "as soon as" or "shortly after"
    TimePattern(
        re.compile(
            r"(?<!as )\b(?:shortly|soon|momentarily|imminently|before\s+long|"
            r"any\s+(?:minute|moment|second)(?:\s+now)?|in\s+a\s+(?:bit|little\s+while|"
            r"short\s+while|while|moment|jiffy))\b"
            r"(?!\s+(?:as|after|before|thereafter|afterwards?)\b)",
            _I,
        ),
        True,
        ("shortly", "soon", "momentarily", "imminently", "any ", "before long", "in a "),
    ),
    # A restoration noun with its time, no verb needed: "full recovery in ~30m", "fix by 14:00"
    TimePattern(
        re.compile(
            r"\b(?:recovery|resolution|restoration|fix|repair|done|back|live|fixed|resolved)\s+"
            r"(?:expected\s+|due\s+|eta\s+)?"
            rf"(?:in|within)\s+(?:about\s+|around\s+|roughly\s+|approximately\s+|approx\.?\s*|"
            rf"~\s?)?{_NUMBER}\s*{_UNIT}"
            rf"|\b(?:recovery|resolution|restoration|fix|repair)\s+(?:expected\s+|due\s+)?"
            rf"(?:by|around|at|before)\s+{_CLOCK}",
            _I,
        ),
        True,
        (
            "recover",
            "resolution",
            "restoration",
            "fix",
            "repair",
            "done",
            "back",
            "live",
            "resolved",
        ),
    ),
    # "quickly" needs a future verb: "will have access restored quickly", not "as quickly as"
    TimePattern(
        re.compile(r"(?<!as )(?<!more )\b(?:quickly|promptly|rapidly)\b(?!\s+as\b)", _I),
        False,
        ("quickly", "promptly", "rapidly"),
    ),
    # Remaining work: "with roughly 2 hours remaining", "needs another 20 minutes or so"
    TimePattern(
        re.compile(
            rf"\b(?:another|an\s+additional|a\s+further)\s+"
            rf"(?:{_NUMBER}\s*)?(?:more\s+)?{_UNIT}|\b{_NUMBER}\s*(?:more\s+)?{_UNIT}\s+"
            r"(?:remaining|left|to\s+go)\b",
            _I,
        ),
        True,
        ("another", "additional", "further", "remaining", "left", "to go"),
    ),
    # The wait itself, whatever the verb: "maybe 30 more mins", "shouldn't be much longer now",
    # "minutes rather than hours"
    TimePattern(
        re.compile(
            rf"\b{_NUMBER}\s*more\s+{_UNIT}(?!\s+(?:of|until|till|before|to)\b)|"
            r"\b(?:shouldn't|should\s+not|won't|will\s+not)\s+be\s+(?:much|too|very)\s+long(?:er)?\b|"
            r"\bminutes\s+rather\s+than\s+hours\b|\bnot\s+(?:much|too)\s+longer\b|"
            r"\bany\s+(?:minute|moment|second)\s+now\b",
            _I,
        ),
        True,
        ("more", "long", "rather than", " now"),
        alone=True,
    ),
    TimePattern(re.compile(r"\bin\s+no\s+time\b", _I), True, ("no time",)),
    # "give it 10 min and try again"
    TimePattern(
        re.compile(
            rf"\bgive\s+it\s+(?:about\s+|another\s+|a\s+good\s+)?(?:{_NUMBER}\s*{_UNIT}|"
            r"\d{1,3}(?!\d|\s*(?:%|(?!(?:and|then|or|before|&)\b)[A-Za-z])))",
            _I,
        ),
        True,
        ("give it",),
    ),
    # "45 mins until logins work again", "a couple of hours before it's back"
    TimePattern(
        re.compile(rf"(?<!wait\s)\b{_NUMBER}\s*(?:more\s+)?{_UNIT}\s+(?:until|till|before)\b", _I),
        False,
        ("until", "till", "before"),
    ),
    # "sorted before lunch", "by mid-morning your time"
    TimePattern(
        re.compile(
            r"\b(?:around|before|by|till|until|at)\s+(?:(?:lunch|dinner)(?:time)?|"
            r"(?:early|late|mid)[- ]?(?:morning|afternoon|evening))\b",
            _I,
        ),
        False,
        ("lunch", "dinner", "morning", "afternoon", "evening"),
    ),
    # "Fix is scheduled for the 12th"
    TimePattern(
        re.compile(r"\b(?:for|on)\s+the\s+\d{1,2}(?:st|nd|rd|th)\b", _I),
        False,
        ("for ", "on "),
    ),
)

RULES = RulePack(
    locale="en",
    # A pictograph followed by a space ends a chat sentence ("back up tonight 🛠️ hang tight").
    sentence_end=re.compile(
        r"(?<=[.!?])\s+|(?<=[\u2600-\u27bf\U0001f300-\U0001faff\ufe0f])\s+|\n+"
    ),
    clause_break=re.compile(
        r"[,;()]|:(?!\d)|(?<!\bup)\sand\s|\s(?:but|while|whereas|as we|as our|once|after)\s|"
        r"(?<!\bor)\sso\s|\s-\s",
        _I,
    ),
    eta_times=ETA_TIMES,
    eta_explicit=re.compile(
        r"\b(?:resolution|recovery|restoration|restore|fix|repair)\s+(?:time\s+)?(?:is\s+)?"
        r"(?:expected|estimated|projected|targeted|anticipated)\b(?!\s+to\s+(?:take|be\s+long))"
        r"|\btime\s+to\s+(?:resolution|recovery|restore|restoration|fix|repair)\s+(?:is\s+)?"
        r"(?:estimated|expected|projected|about|around|approximately|roughly|[:=])|"
        r"\b(?:target|expected|estimated)\s+(?:restore|restoration|recovery|resolution|fix)\s+"
        r"(?:time|date)\b|"
        # maintenance that overruns, named as the subject: "the maintenance will now finish at
        # 06:30", "the window is now extended to 03:30", "we've extended the maintenance to"
        r"\b(?:maintenance|upgrade|migration|work|works|outage|downtime)(?:\s+window)?\s+"
        r"(?:(?:is|will|has\s+been|was)\s+)?now\s+(?:(?:expected|due|scheduled|set|going)\s+to\s+)?"
        r"(?:run(?:ning)?|finish(?:ing)?|end(?:ing)?|complete|last(?:ing)?|continu(?:e|ing))\s+"
        r"(?:until|till|to|at|by|around|through|past)\b|\bnow\s+due\s+to\s+(?:finish|end|complete)\b|"
        r"\b(?:the|our|this|tonight's|today's|planned|scheduled)\s+(?:\w+\s+)?(?:maintenance|window|"
        r"upgrade|migration|work|works|outage|downtime)(?:\s+window)?\s+(?:(?:is|has\s+been|was|"
        r"will\s+be)\s+)?(?:now\s+)?extended\s+(?:to|until|till)\b|\bextended\s+the\s+"
        r"(?:maintenance\s+)?(?:window|maintenance|work|downtime)\s+(?:to|until|till)\b|"
        # a label with its time: "Back by: ~18:30", "Fix ETA: 16:00"
        r"\b(?:back|fix|restor(?:e|ation)|recovery|resolution|online)(?:\s+(?:by|at|in|time|date|"
        r"expected|eta))?\s*:\s*~?\s*(?:\d{1,2}:\d{2}|\d{1,2}\s?(?:am|pm)\b|\d+\s*(?:min|hour|hr|h\b|"
        r"m\b)|today|tonight|tomorrow)|\bestimated\s+time\s+(?:for|of|to|until)\b|"
        r"\bETAs?\b|\bETR\b|\bestimated\s+(?:time\s+(?:of|to|for)\s+)?"
        r"(?:resolution|recovery|restoration|fix|completion)\b|"
        r"\b(?:expected|estimated|projected|target|anticipated)\s+(?:time\s+(?:of|to|for|until)\s+)?"
        r"(?:full\s+)?(?:resolution|recovery|restoration|fix|repair|completion)(?:\s+time)?"
        r"\s*(?:[:=\u2014\u2013]|-\s|is\b|of\b|at\b|by\b|around\b|in\b|within\b)",
        _I,
    ),
    eta_explicit_gate=(
        "eta",
        "etr",
        "estimat",
        "expect",
        "project",
        "target",
        "anticipat",
        "time to",
        "now",
        "extended",
        ":",
    ),  # fmt: skip
    eta_negation=re.compile(
        r"\b(?:no|not|n't|don't|do not|cannot|can't|unable|without|yet to|unknown|TBD|"
        r"no longer|too early to (?:say|tell|know|estimate|give)|unclear|uncertain|\w+n't)\b",
        _I,
    ),
    update_words=re.compile(
        # an update that is sent, with the time it is sent: "our next update will be sent by
        # email at 12:00" (the whole phrase, so "sent" is not read as the restoration word)
        r"\b(?:(?:next\s+)?(?:update|post|message|e-?mail)s?\s+(?:will\s+be|is\s+being)\s+"
        r"(?:sent|posted|shared|published|emailed)(?:\s+(?:by|via)\s+(?:e-?mail|sms|text|push))?|"
        r"next\s+(?:update|post|message|e-?mail)s?\s+(?:will\s+)?go(?:es|ing)?\s+out|updates?|updated|updating|information|info|details?|news|post(?:ing)?|"
        r"communicat\w*|report back|check back|follow[- ]up|follow|notify|inform|share more|"
        r"more to share|next\s+(?:update|post|message)|monitor\w*|keep\s+(?:an\s+)?eye|"
        r"watch\w*|observ\w*)\b",
        _I,
    ),
    restore_words=re.compile(
        r"\b(?:resolv\w*|resolution|restor\w*|recover\w*|fix\w*|back\b|available|availability|"
        r"complete\w*|normal\w*|operational|mitigat\w*|deploy\w*|up and running|online|"
        r"roll\w*\s+(?:it\s+|them\s+|this\s+|the\s+\w+\s+)?out|go(?:es|ing)?\s+out|go\s+live|live\b|"
        r"ship\w*|land\w*|releas\w*|patch\w*|"
        r"working|function\w*|process\w*|clear\w*|catch\w*\s+up|caught up|stabili[sz]\w*|return\w*|"
        r"resum\w*|done|finish\w*|deliver\w*|sen[dt]\w*|arriv\w*|reach\w*|"
        r"load\w*|respond\w*|accessible|healthy|stable|better|improv\w*|up\s+to\s+date|"
        r"access\b|caught\s+up|in\s+sync|back\s+online|usable|as\s+expected|"
        r"(?:running|accurate|correct|syncing|flowing|responsive)\s+again|"
        r"(?:work|sync|load|run|function|respond|connect|log\s*in|sign\s*in)\w*\s+"
        r"(?:again|normally|as\s+expected)|able\s+to\s+\w+(?:\s+\w+)?\s+again|"
        r"backfill\w*|re-?sync\w*|replay\w*|reprocess\w*|recalculat\w*|rebuil\w*|reindex\w*|"
        r"resum\w*|refresh\w*|come\s+through|go\s+through|show\s+up|appear\w*|re-?open\w*)",
        _I,
    ),
    future_markers=re.compile(
        r"\b(?:will|'ll|shall|should|gonna|reckon\w*|expect\w*|estimat\w*|anticipat\w*|aim\w*|plan(?:s|ning)?\b|"
        r"planned\s+(?:to|for)|hope\w*|"
        r"going to|projected|forecast\w*|target\w*|on track|scheduled\s+(?:to|for)|intend\w*|"
        r"predict\w*|"
        # a fix released, told in the present tense: "the patch ships Thursday", "the fixed
        # version is going out tomorrow" - not "your order ships Thursday"
        r"(?:fix|patch|hotfix|update|release|version|build)\w*(?:[^.!?\n]|\.(?=\d)){0,120}?\b(?:ships|lands|"
        r"deploys|rolls\s+out|goes\s+(?:out|live)|going\s+(?:out|live)|is\s+(?:rolling|shipping)\s+"
        r"(?:out|live))|"
        r"likely to|ready|ought)\b",
        _I,
    ),
    past_markers=re.compile(
        r"\b(?:was|were|had|took|ran|lasted|ago|yesterday|earlier|previously|spent|completed|"
        r"finished|ended|concluded|occurred|happened|began|started|"
        # a fix told as done at a clock time: "we deployed a fix at 13:05 UTC"
        rf"{_PAST_CLOCK}|"
        # "since 10:05", "since yesterday" - not a causal "since the fix is rolling out"
        r"since(?=\s+(?:\d|about|around|approx\w*|roughly|yesterday|this|last|early|late|mid|"
        r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)))\b",
        _I,
    ),
    eta_fix="We will provide another update within 30 minutes.",
    firm_future=re.compile(
        r"\b(?:will|'ll|should|gonna|expect\w*|anticipat\w*|estimat\w*|hope\w*|aim\w*|plan(?:s|ning)?|"
        r"target\w*|on\s+track|going\s+to)\b",
        _I,
    ),
    other_deadlines=re.compile(
        r"\b(?:refund\w*|credit\w*|incident\s+report|full\s+report|post-?incident|post-?mortem|"
        r"root\s+cause\s+analysis|rca|write-?up|reply|replies|respond\w*\s+to|tickets?|"
        r"invoice\w*|compensat\w*|reimburs\w*|review\w*|know\s+more|learn\s+more|"
        r"more\s+(?:information|details)|findings|summary|publish\w*|"
        rf"(?:maintenance|window){_NOT_OVERRUN}|"
        r"paused?|from\s+\d{1,2}(?::\d{2})?\s*(?:to|until|-|\u2013))\b",
        _I,
    ),
    past_clock=re.compile(rf"\b{_PAST_CLOCK}", _I),
    # Restoration told as done ("restored full service by 15:13 UTC"): not for the learned model.
    past_restoration=re.compile(
        r"\b(?:resolved|restored|recovered|fixed|mitigated|completed|deployed|reverted|"
        r"rolled\s+back|returned|cleared|finished|ended)\b",
        _I,
    ),
    learned_gates={
        "eta": re.compile(
            r"\d|\b(?:tonight|tomorrow|tmrw|today|noon|midnight|midday|overnight|lunch\w*|arvo|"
            r"dinner|breakfast|few|before|by\s+the\s+time|morning|afternoon|"
            r"evening|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|"
            r"hours?|hrs?|minutes?|mins?|secs?|seconds?|days?|eod|eow|cob|soon|shortly|"
            r"momentarily|later|bit|jiffy|while|minute|asap|imminent\w*|before\s+long|"
            r"next\s+(?:deploy\w*|release|build|patch|version|update\s+of\s+the\s+app))\b",
            _I,
        ),
        "speculation": re.compile(
            r"\b(?:may|might|could|would|possibl\w*|likely|probabl\w*|think|thought|believe\w*|"
            r"suspect\w*|seem(?:s|ed|ingly)?|appear(?:s|ed)?|looks?|sounds?|suggest\w*|indicat\w*|point\w*|theory|"
            r"guess\w*|not\s+sure|whether|perhaps|maybe|suppos\w*|reckon|assum\w*|hunch|"
            r"feel|expect\w*|presum\w*|apparent\w*|chance|lean\w*|tell|hypothes\w*|"
            r"confident|sure|potential\w*|doubt|unlikely|can't\s+rule|cannot\s+rule)\b",
            _I,
        ),
        "internal_detail": re.compile(
            r"[A-Za-z0-9]_\w|[A-Za-z][\w-]*-\w*\d|[A-Za-z]\d|\d[A-Za-z]|[#@]\w|\b[a-z]+[A-Z]\w*|"
            r"\b(?:engineer|developer|on-?call|sre|ops|admin|lead|manager|dba|colleague)s?\b",
        ),
    },
    never_eta=re.compile(
        # the customer's own order moving as usual: "Your order #4521 ships Thursday."
        r"\byour\s+(?:order|parcel|package|shipment|replacement\s+\w+)\s+(?:#\s?[\w-]+\s+)?"
        r"(?:ships|will\s+ship|is\s+(?:due|scheduled)\s+to\s+(?:ship|arrive))\b|"
        r"\b(?:refund\w*|revers(?:al|als|ed)\b|duplicate\s+charg\w*|double[- ]charg\w*|charged|"
        # money owed to the customer: "credited back by 30 April"; a routine payment: "this
        # week's payout will go out on Thursday as normal" - not "working as normal again by 5"
        r"credit(?:ed)?\s+back|credited\s+to|(?:go(?:es)?\s+out|paid|run|ship|arrive|processed)\s+"
        r"(?:on\s+\w+\s+)?as\s+(?:usual|normal|scheduled)\b(?![^.!?\n]*\b(?:again|by|from|within|"
        r"until|once)\b)|"
        # money reaching the customer through their bank: "depending on your bank"
        r"depending\s+on\s+your\s+bank|"
        # the customer's own order moving: "your order shipped yesterday and should be with you"
        r"(?:order|parcel|package|shipment|item)s?\s+(?:(?:will\s+be|is|was|has\s+been)\s+)?"
        r"(?:shipped|dispatched|(?:due|scheduled)\s+to\s+ship)|due\s+to\s+ship\b|"
        r"delivery\s+(?:is\s+)?expected\s+(?:on|by)|"
        # the customer's own deadline: "payroll runs must be submitted by Friday"
        r"(?:must|need\s+to)\s+be\s+(?:submitted|filed|sent\s+in|completed\s+by\s+you)|"
        r"escalat\w*|"
        r"contact\s+you|hear\s+(?:back|from)|reach\s+out|get\s+back\s+to|come\s+back\s+to\s+you|"
        r"write\s+(?:to\s+you|back)|be\s+in\s+touch|"
        r"answer\w*|support\s+hours|usual\s+schedule|join\s+the\s+call|meeting|"
        # support open late: "our team will be on live chat until midnight"
        r"on\s+(?:live\s+)?chat\s+until|(?:lines|phones|chat|desk)\s+(?:are|is|will\s+(?:be|stay)|"
        r"stay)\s+open\s+until|"
        # a usual duration, unless restoration follows it: "typically takes 15-20 min, after
        # which the app will be available again" is an ETA
        r"(?:normally|usually|typically)\s+takes?(?![^.!?\n]*\b(?:after\s+which|after\s+that|"
        r"then|once\s+(?:it's|that's)\s+done)\b[^.!?\n]*\b(?:will|should|'ll)\b)|"
        rf"(?:planned|scheduled)\s+maintenance{_NOT_OVERRUN}|"
        r"incident\s+report|root[- ]cause\s+analysis|post-?mortem|post-?incident|paus(?:e|ed|ing)|"
        r"from\s+\d{1,2}(?::\d{2})?\s*(?:to|until|-|\u2013)\s*\d|business\s+hours|"
        r"monitor\w*\s+(?:over|for|during)\s+the\s+next|(?:average\s+)?delays?\s+of|delayed\s+by|"
        r"lag(?:ging)?\s+(?:of|by)|behind\s+by)\b",
        _I,
    ),
    expectation_words=re.compile(
        r"\b(?:expect\w*|anticipat\w*|estimat\w*|project(?:s|ed|ing)|forecast\w*|predict\w*|"
        r"aim\w*|target\w*|which\s+(?:will|should|is\s+expected)|remaining|left|to\s+go|"
        r"(?:will|should|to|may|could|might)\s+take|takes)\b",
        _I,
    ),
    speculation=(
        re.compile(
            r"\b(?:probably|presumably|perhaps|maybe|possibly|conceivably|supposedly|"
            r"allegedly|apparently|prob)\b",
            _I,
        ),
        # Hedges of one's own judgement: "I'd say", "from what I can tell", "almost certainly"
        re.compile(
            r"\b(?:i|we)(?:'d|\s+would)\s+(?:say|bet|guess|imagine|wager)\b|\bi\s+bet\b|"
            r"\b(?:from\s+what|as\s+far\s+as)\s+(?:i|we)\s+can\s+(?:tell|see|gather)\b|"
            r"\balmost\s+certainly\b|(?:^|(?<=[.!?]\s)|(?<=\n))(?:pretty|fairly|quite)\s+sure\b|\b(?:i'm|we're|i\s+am|we\s+are)\s+guessing\b|"
            r"\bodds\s+are\b|\b(?:gut\s+feeling|educated\s+guess)\b|"
            # evidence that fits a cause is not a confirmed cause: "lines up with", "the pattern
            # is consistent with", "has all the hallmarks of", "we haven't ruled out"
            r"\b(?:fingers\s+crossed|consistent\s+with\s+(?:a|an)|(?:timing|pattern|evidence|this|"
            r"it|that|everything)\s+(?:\w+\s+){0,2}lines?\s+up\s+with|(?:seems?|appears?)\s+to\s+"
            r"line\s+up\s+with|hallmarks\s+of|"
            r"likeliest|(?:likely|prime)\s+(?:culprit|suspect)|(?:strongest|leading|main)\s+"
            r"(?:lead|theory|suspect)|(?:best|current|early)\s+read\s+(?:is|on|suggests)|"
            r"reads?\s+(?:to\s+us\s+)?like|"
            r"smells?\s+like|feels?\s+like|(?:looking|looks)\s+(?:increasingly|more\s+and\s+more)"
            r"\s+like|(?:haven't|have\s+not|not\s+yet|can't|cannot)\s+(?:been\s+)?(?:ruled?|able\s+to"
            r"\s+rule)\s+out|pattern\s+(?:so\s+far\s+)?fits)\b|"
            rf"\b(?:{_MODAL})\s+(?:be\s+down\s+to|have\s+(?:something\s+)?to\s+do\s+with)\b|\b(?:seems?|appears?)\s+to\s+be\s+"
            r"(?:concentrated|limited|confined|isolated|restricted|only)\b|"
            r"\b(?:reckons?|thinks|suspects?)\s+(?:your|our|their|its|that's|it's)\b",
            _I,
        ),
        re.compile(
            r"\b(?:we|i|engineers?|the team|our team|our engineers)(?:'d|'re|\s+would|\s+are)?"
            r"\s+(?:currently\s+|now\s+|still\s+|strongly\s+)?(?:believe|think|suspect|assume|"
            r"guess|speculate|suppose|presume|feel|reckon|have\s+a\s+(?:feeling|hunch|sense))\w*\b",
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
            r"(?:\w+\s+)?(?:caused|due|related|linked|tied|connected|triggered|the\s+result|"
            r"because|attribut\w+|a\s+(?:result|consequence|side effect)|an?\s+\w*\s?(?:bug|"
            r"attack|misconfiguration|regression)|the\s+(?:root\s+)?cause|resolved|fixed|"
            r"restored|back|over)\b",
            _I,
        ),
        # Modal + outcome/scope guesses: "might resolve itself", "could take hours",
        # "may affect all customers", "may spread", "could get worse"
        re.compile(
            rf"\b{_MODAL}\s+(?:also\s+)?(?:resolve|fix|recover|return(?=\s+(?:to\s+normal|to\s+"
            r"service|on\s+its\s+own|by\s+itself))|take(?!\s+longer)|last|"
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
            r"\bwe(?:'re| are)\s+(?:fairly|reasonably|pretty|quite)\s+(?:sure|confident|certain)\b",
            _I,
        ),
        re.compile(
            r"\b(?:points?|pointing)\s+(?:to|toward|towards|at)\b|\bsuggest(?:s|ing|ed)?\s+"
            r"(?:that|a|an|the|(?:it|this|they)(?:'s|'re|\s+is|\s+are|\s+was|\s+were))\b|\bhint(?:s|ing|ed)?\s+at\b|\b(?:indications?|signs?|"
            r"findings|evidence)\s+(?:suggest|indicate|point|imply)\w*\b|"
            r"\b(?:our|the|an?)\s+(?:early|initial|preliminary|first|working|current)\s+"
            r"(?:read|assessment|view|impression|thinking|analysis|hypothesis|hunch|guess|"
            r"understanding)\s+(?:is|points|suggests|indicates)\b|\b(?:our|my)\s+guess\b|"
            r"\bchances\s+are\b|\bconceivabl[ey]\b|\b(?:it|this)\s+(?:would\s+)?"
            r"(?:seems?|appears?)\s+(?:that|as\s+(?:if|though))\b|\b(?:it|this)\s+seems\s+"
            r"(?:the|this|that|our)\b",
            _I,
        ),
        # "is thought to be caused by", "seem related to", "will turn out to be"
        re.compile(
            r"\b(?:is|are|was|were)\s+(?:thought|believed|suspected|presumed|assumed|"
            r"understood)\s+to\s+(?:be|have|stem|originate|come)\b|"
            r"\b(?:seems?|seemed|appears?|appeared|looks?)\s+(?:\w+\s+)?(?:related|linked|tied|"
            r"connected|due|caused|attributable)\b|\bturns?\s+out\s+to\s+be\b",
            _I,
        ),
        # Subjectless guesses: "Might be the cron job ...", outcome and scope: "No data appears to
        # have been lost", "the delays seem to be limited to Europe"
        re.compile(
            r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:(?:might|may|could)\s+be|(?:seems|looks|sounds)\s+like)\b|"
            r"\b(?:appears?|seems?|looks?)\s+(?:to\s+(?:have\s+been|be)\s+)?(?:lost|limited|confined|"
            r"isolated|unaffected|safe|contained|restricted|intact)\b",
            _I,
        ),
        # Third persons guessing: "Kenji thinks the ...", "Engineers in #ops suspect a ..."
        re.compile(
            r"\b(?:thinks|believes|suspects?|reckons?|speculates?|guesses)\s+(?:that\s+)?"
            r"(?:the|this|it|a|an|our|there)\b",
            _I,
        ),
        # "may have caused", "could have triggered", "there may be a link between"
        re.compile(
            rf"\b(?:{_MODAL}|could)\s+(?:also\s+)?have\s+(?:caused|triggered|led\s+to|"
            r"contributed|started|originated|introduced|resulted)\b|\bthere\s+(?:may|might|could)"
            r"\s+be\s+a\s+(?:link|connection|relationship|correlation)\b",
            _I,
        ),
        # "It might be a hardware fault", "this could well be the cause" - not "it may be a few
        # minutes before emails arrive" (impact) or "may be slow" (no noun follows).
        re.compile(
            rf"\b(?:it|this|that|the\s+(?:issue|problem|outage|incident|error|failure|cause))\s+"
            rf"(?:{_MODAL}|could|would)\s+(?:well\s+|also\s+)?(?:be|have\s+been)\s+"
            r"(?:a|an|the|some|another)\s+(?!(?:few|while|little|bit|couple|number|"
            r"minute|moment|delay|short)\b)",
            _I,
        ),
        # "There is a chance this is connected to ..." - not "a chance you may see duplicates".
        re.compile(
            r"\b(?:there(?:'s|\s+is)|we\s+see)\s+(?:a|some|an?\s+\w+)\s+(?:chance|possibility|"
            r"likelihood|probability)\s+(?:that\s+)?(?:this|it|the\s+(?:issue|problem|outage|"
            r"incident|cause|error|failure))\b|\bodds\s+are\b|\b(?:our|a)\s+hunch\b",
            _I,
        ),
    ),
    cause_words=re.compile(
        r"\b(?:caus\w*|due\s+to|because|culprit|result\s+of|blame\w*|related\s+to|linked\s+to|"
        r"triggered\s+by|(?:it|this|that)(?:'s|\s+(?:was|is|might\s+be|may\s+be|could\s+be))\s+"
        r"(?:a|an|the|their|our)\b|guess\w*|suspect\w*|believ\w*|theor\w*|hunch|"
        r"(?:think\w*|reckon\w*)\s+(?:(?:it|this|that)(?:'s|\s+(?:is|was))|the)\b)",
        _I,
    ),
    speculation_exempt=re.compile(
        r"\b(?:inconvenienc\w*|trouble|disruption|frustration|impact|problems?|issues?|"
        r"difficult\w*)\s+(?:that\s+)?(?:this|that|it|these|which)\s+(?:may|might|could)\s+"
        r"have\s+caused|"
        r"\bwe\s+(?:think|believe)\s+(?:you\b|in\b|it(?:\s+is|'s)\s+(?:important|right|fair|"
        r"best))|"
        # impact that takes time ("may take up to 10 working days to appear")
        r"\bmay\s+take\b|"
        # a hedged restoration time is an ETA, not a guess about the cause (the eta guard's)
        r"\b(?:think|believe|reckon|expect|hope)\s+(?:it|this|that|everything|things|service|they|"
        r"we)(?:'ll|\s+will|\s+should)\s+(?:be\s+)?(?:fixed|back|resolved|sorted|restored|working|"
        r"up|live|done|clear(?:ed)?)\b|"
        # hedged impact: "This may prevent newly enabled models from appearing", "runtime might
        # be elevated", "may not actually be running"
        r"\b(?:may|might|could)\s+(?:not\s+)?(?:actually\s+)?(?:be\s+)?(?:prevents?|experienc\w*|"
        r"see|notice|fail|failing|elevated|delayed|slow(?:er)?|unavailable|affected|impacted|"
        r"missing|incomplete|appear|need\s+to|running|load\s+slowly|work|receive|encounter|"
        r"return\s+errors?|show|time\s+out|timing\s+out|reduced|degraded|intermittent\w*|higher|"
        r"longer|lower)\b|"
        # a hedge on the time itself: "I'd say 10 mins more tops", "prob ~1hr"
        r"\b(?:i'd\s+say|prob|probably|maybe|perhaps)\s+(?:another\s+|about\s+|around\s+|like\s+)?"
        r"(?:~\s?)?\d+\s*(?:-\s*\d+\s*)?(?:min\w*|hrs?|hours?|h\b|m\b|days?)|"
        # advice and the customer's own words
        r"\byou(?:'ll|\s+will|\s+may|\s+might)?\s+probably\b|\bprobably\s+(?:the\s+)?(?:easiest|"
        r"best|quickest|fastest|simplest)\b|\bpoints?\s+to\s+(?:show|appear|arrive|land)\b|"
        r"\b\d[\d,]*\s+(?:bonus\s+|reward\s+|loyalty\s+|extra\s+)?points?\s+to\s+(?:your|their|"
        r"each|every|the)\s+(?:\w+\s+)?(?:account|balance|card|wallet)s?\b|"
        r"\byou\s+(?:said|wrote|mentioned|asked)\s*[,:]?\s*(?:\"[^\"]{0,200}\"|\u201c[^\u201d]{0,200}\u201d)",
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
            "prob",
            "presumabl",
            "perhaps",
            "maybe",
            "possibl",
            "conceivabl",
            "supposedl",
            "allegedl",
            "apparentl",
        ),
        (
            "'d ",
            "would",
            "bet",
            "from what",
            "as far as",
            "almost certainly",
            "guessing",
            "odds are",
            "gut feeling",
            "educated guess",
            "crossed",
            "consistent",
            "line",
            "hallmark",
            "likel",
            "culprit",
            "suspect",
            "lead",
            "theory",
            "read",
            "like",
            "rule",
            "fits",
            "down to",
            "to do with",
            "concentrated",
            "limited",
            "confined",
            "isolated",
            "restricted",
            "only",
            "reckon",
            "think",
        ),
        (
            "believe",
            "think",
            "suspect",
            "assum",
            "guess",
            "speculat",
            "suppos",
            "presum",
            "feel",
            "reckon",
            "hunch",
            "sense",
        ),
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
        (
            "point",
            "suggest",
            "hint",
            "indicat",
            "sign",
            "finding",
            "evidence",
            "read",
            "assessment",
            "view",
            "impression",
            "thinking",
            "analysis",
            "hypothes",
            "hunch",
            "guess",
            "understanding",
            "chances",
            "conceivab",
            "seem",
            "appear",
        ),
        (
            "thought",
            "believed",
            "suspected",
            "presumed",
            "assumed",
            "understood",
            "seem",
            "appear",
            "look",
            "turn",
        ),
        ("might", "may", "could", "appear", "seem", "look", "sound"),
        ("think", "believ", "suspect", "reckon", "speculat", "guess"),
        ("may", "might", "could"),
        ("may", "might", "could", "would"),
        ("chance", "possib", "likelihood", "probab", "odds", "hunch"),
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
