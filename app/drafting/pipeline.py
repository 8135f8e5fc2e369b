"""Generate -> guard -> reask -> fallback, for the built-in engine and any litellm model."""

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from app.drafting.facts import Fact, FactSheet
from app.drafting.prompts import PromptRegistry
from app.llm import LLMClient, LLMError
from app.llm.payload import payload_block
from guards import GuardReport, GuardSet

BUILTIN_PROVIDER = "local"
CHANNEL_RULES = {
    "en": {
        "statuspage": "Two or three short paragraphs, at most 1,500 characters.",
        "social": "A single post of at most 250 characters, no hashtags.",
        "email": "A short email: a greeting, two short paragraphs, a closing line.",
        "chat": "Two to four short sentences.",
    },
    "ja": {
        "statuspage": "短い段落を2〜3つ、全体で700文字以内。",
        "social": "1投稿、120文字以内。ハッシュタグなし。",
        "email": "短いメール。宛名、短い段落2つ、結び。",
        "chat": "短い文を2〜4つ。",
    },
}
# The longest reply we accept from a model; anything longer is cut before the guards see it.
MAX_REPLY_CHARS = 20_000


@dataclass
class Attempt:
    """One call to the engine and what the guards said about its answer."""

    number: int
    model: str
    text: str | None
    guard_report: dict[str, Any] | None
    error: str | None
    latency_ms: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "model": self.model,
            "text": self.text,
            "guard_report": self.guard_report,
            "error": self.error,
            "latency_ms": round(self.latency_ms, 2),
        }


@dataclass
class PipelineResult:
    """The text to hold for approval and how it came about."""

    text: str
    guard_report: GuardReport
    source: str  # engine | fallback
    attempts: list[Attempt]
    fallback_used: bool
    engine_error: str | None
    timings_ms: dict[str, float] = field(default_factory=dict)


def clean_reply(text: str) -> str:
    """Strip what chat models wrap around a message: code fences, quotes, a 'Message:' label."""
    text = text.strip()[:MAX_REPLY_CHARS]
    text = re.sub(r"^```\w*\s*|\s*```$", "", text)
    text = re.sub(r"^(?:message|update|draft)\s*:\s*", "", text, flags=re.IGNORECASE)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return text.strip()


def _without(facts: list[Fact], excluded: list[str]) -> list[Fact]:
    lowered = [item.casefold() for item in excluded if item.strip()]
    return [fact for fact in facts if not any(item in fact.text.casefold() for item in lowered)]


class DraftingPipeline:
    """Turns a fact sheet into a guarded message; never raises because a model misbehaved."""

    def __init__(
        self,
        *,
        llm: LLMClient,
        prompts: PromptRegistry,
        max_reasks: int = 2,
        timeout_seconds: float = 30.0,
    ) -> None:
        self.llm = llm
        self.prompts = prompts
        self.max_reasks = max_reasks
        self.timeout_seconds = timeout_seconds
        from app.llm.providers import BuiltinEngine  # imports litellm: start-up, not import time

        llm.register_provider(BUILTIN_PROVIDER, BuiltinEngine(self._render_builtin))

    def _render_builtin(self, engine: str, payload: dict[str, Any]) -> str:
        if engine != "template":
            raise ValueError(f"unknown built-in engine local/{engine}; use local/template")
        sheet = FactSheet.model_validate(payload["fact_sheet"])
        excluded = [str(item) for item in payload.get("exclude", [])]
        variables = {
            "status": sheet.status,
            "subject": sheet.subject,
            "impacts": _without(sheet.impacts, excluded),
            "not_affected": _without(sheet.not_affected, excluded),
            "workarounds": _without(sheet.workarounds, excluded),
            "advice": _without(sheet.advice, excluded),
            "signals": _without(sheet.signals, excluded),
            "next_update_minutes": sheet.next_update_minutes,
        }
        return self.prompts.render_engine(sheet.locale, sheet.channel, variables)

    def _first_messages(
        self, model: str, sheet: FactSheet, transcript: str, instructions: str | None
    ) -> list[dict[str, str]]:
        variables = {
            "channel": sheet.channel,
            "channel_rules": CHANNEL_RULES[sheet.locale][sheet.channel],
            "status": sheet.status,
            "fact_sheet_json": json.dumps(
                sheet.model_dump(exclude={"incident_id", "title"}), ensure_ascii=False, indent=1
            ),
            "transcript": transcript,
            "instructions": instructions or "",
            "next_update_minutes": sheet.next_update_minutes,
        }
        system, user = self.prompts.render_llm(sheet.locale, variables)
        if model.startswith(f"{BUILTIN_PROVIDER}/"):
            user = payload_block({"fact_sheet": sheet.model_dump(mode="json")})
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def _reask_messages(
        self,
        model: str,
        sheet: FactSheet,
        messages: list[dict[str, str]],
        previous: str,
        report: GuardReport,
        excluded: list[str],
    ) -> list[dict[str, str]]:
        blocking = [violation for violation in report.violations if violation.blocking]
        if model.startswith(f"{BUILTIN_PROVIDER}/"):
            payload = {"fact_sheet": sheet.model_dump(mode="json"), "exclude": excluded}
            return [messages[0], {"role": "user", "content": payload_block(payload)}]
        # Our own reask message keeps our system prompt in place (a library reask would not).
        feedback = self.prompts.render_reask(
            sheet.locale, {"violations": blocking, "previous": previous}
        )
        return [
            *messages,
            {"role": "assistant", "content": previous},
            {"role": "user", "content": feedback},
        ]

    def generate(
        self,
        *,
        sheet: FactSheet,
        model: str,
        guard_set: GuardSet,
        transcript: str,
        instructions: str | None = None,
    ) -> PipelineResult:
        """Run the engine until the guards pass, at most 1 + max_reasks times, else fall back."""
        attempts: list[Attempt] = []
        guard_ms = 0.0
        generate_ms = 0.0
        engine_error: str | None = None
        excluded: list[str] = []
        messages = self._first_messages(model, sheet, transcript, instructions)
        for number in range(1, self.max_reasks + 2):
            started = time.perf_counter()
            try:
                completion = self.llm.complete(
                    model=model, messages=messages, timeout=self.timeout_seconds
                )
            except LLMError as exc:
                elapsed = (time.perf_counter() - started) * 1000
                generate_ms += elapsed
                engine_error = str(exc)
                attempts.append(Attempt(number, model, None, None, engine_error, elapsed))
                break
            generate_ms += completion.latency_ms
            text = clean_reply(completion.text)
            checked = time.perf_counter()
            report = guard_set.check(text)
            guard_ms += (time.perf_counter() - checked) * 1000
            attempts.append(
                Attempt(
                    number, model, text, report.model_dump(mode="json"), None, completion.latency_ms
                )
            )
            if text and not report.blocking:
                return PipelineResult(
                    text=text,
                    guard_report=report,
                    source="engine",
                    attempts=attempts,
                    fallback_used=False,
                    engine_error=None,
                    timings_ms={"generate": generate_ms, "guard": guard_ms},
                )
            excluded += [v.text for v in report.violations if v.blocking]
            messages = self._reask_messages(model, sheet, messages, text, report, excluded)
        text = self.prompts.render_default(
            sheet.locale, sheet.status, sheet.channel, next_update_minutes=sheet.next_update_minutes
        )
        checked = time.perf_counter()
        report = guard_set.check(text)
        guard_ms += (time.perf_counter() - checked) * 1000
        return PipelineResult(
            text=text,
            guard_report=report,
            source="fallback",
            attempts=attempts,
            fallback_used=True,
            engine_error=engine_error,
            timings_ms={"generate": generate_ms, "guard": guard_ms},
        )

    def default_message(self, sheet: FactSheet, guard_set: GuardSet, reason: str) -> PipelineResult:
        """The prepared default message, flagged, without calling any engine."""
        text = self.prompts.render_default(
            sheet.locale, sheet.status, sheet.channel, next_update_minutes=sheet.next_update_minutes
        )
        started = time.perf_counter()
        report = guard_set.check(text)
        return PipelineResult(
            text=text,
            guard_report=report,
            source="fallback",
            attempts=[],
            fallback_used=True,
            engine_error=reason,
            timings_ms={"generate": 0.0, "guard": (time.perf_counter() - started) * 1000},
        )
