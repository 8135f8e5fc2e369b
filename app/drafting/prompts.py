"""Prompt files (LLM prompts, built-in engine templates, default messages), validated at start-up.

A broken prompt file stops the service from starting instead of failing a request later.
Templates are Jinja in a sandbox with StrictUndefined: a misspelt variable is an error, and the
values (which carry untrusted transcript text) are data, never template code.
"""

import hashlib
import re
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, ValidationError

CHANNELS = ("statuspage", "social", "email", "chat")
STATUSES = ("investigating", "identified", "monitoring", "resolved")
LOCALES = ("en", "ja")


class PromptError(Exception):
    """A prompt file is missing, malformed or does not render."""


class _PromptFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    locale: Literal["en", "ja"]
    version: str
    variables: list[str]


class LLMPromptFile(_PromptFile):
    kind: Literal["llm"]
    system: str
    template: str
    reask: str


class EngineTemplateFile(_PromptFile):
    kind: Literal["engine"]
    channels: dict[Literal["statuspage", "social", "email", "chat"], str]


class DefaultMessagesFile(_PromptFile):
    kind: Literal["defaults"]
    messages: dict[
        Literal["investigating", "identified", "monitoring", "resolved"],
        dict[Literal["statuspage", "social", "email", "chat"], str],
    ]


def _join_list(locale: str) -> Callable[[Iterable[Any]], str]:
    def join(values: Iterable[Any]) -> str:
        items = [str(value) for value in values if str(value).strip()]
        if locale == "ja":
            return "、".join(items)
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + " and " + items[-1]

    return join


def _sentence(locale: str) -> Callable[[str], str]:
    def sentence(text: str) -> str:
        text = str(text).strip()
        if not text:
            return ""
        if locale == "ja":
            return text if text.endswith(("。", "！", "？")) else text + "。"
        return text if text.endswith((".", "!", "?")) else text + "."

    return sentence


def _lower_first(text: str) -> str:
    text = str(text)
    first = text.split(" ", 1)[0]
    # Keep acronyms and names ("SMS", "PayPal") as they are.
    if first[1:].islower() or len(first) == 1:
        return text[:1].lower() + text[1:]
    return text


_VERB_START = re.compile(
    r"^(?:you|please|use|try|retry|switch|sign|log|pay|check|see|open|visit|contact|refresh|"
    r"restart|reinstall|update|enable|disable|wait|go|select|choose|re-?\w+)\b",
    re.I,
)


def _workaround(text: str) -> str:
    """A workaround as the end of "In the meantime, ...": bare nouns become "you can use ..."."""
    text = _lower_first(str(text).strip().rstrip("."))
    words = text.split()
    if (
        len(words) <= 4
        and not _VERB_START.match(text)
        and not re.search(r"\b(?:can|is|are|has|have)\b", text)
    ):
        article = "" if re.match(r"^(?:the|a|an|your)\b", text, re.I) else "the "
        text = f"you can use {article}{text}"
    return text + "."


def _capitalize_first(text: str) -> str:
    text = str(text)
    # "iOS" and "eBay" keep their case; an ordinary lower-case word starts a sentence.
    if text[:2].islower():
        return text[:1].upper() + text[1:]
    return text


def _environment(locale: str) -> SandboxedEnvironment:
    environment = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    environment.filters["join_list"] = _join_list(locale)
    environment.filters["sentence"] = _sentence(locale)
    environment.filters["lower_first"] = _lower_first
    environment.filters["capitalize_first"] = _capitalize_first
    environment.filters["workaround"] = _workaround
    return environment


def tidy(text: str, locale: str) -> str:
    """Fold template whitespace: blank lines separate paragraphs, everything else is spaces."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        line = " ".join(block.split())
        if locale == "ja":
            # Japanese needs no spaces between sentences.
            line = re.sub(r"(?<=[。、」）])\s+|\s+(?=[。、「（])", "", line)
        if line:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)


class PromptRegistry:
    """All prompt files, parsed and compiled once."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or Path(str(resources.files("prompts")))
        self.llm: dict[str, tuple[LLMPromptFile, Template, Template, Template]] = {}
        self.engine: dict[str, tuple[EngineTemplateFile, dict[str, Template]]] = {}
        self.defaults: dict[str, tuple[DefaultMessagesFile, dict[tuple[str, str], Template]]] = {}
        self._load()

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise PromptError(f"{path}: cannot read YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise PromptError(f"{path}: expected a mapping at the top level")
        return data

    def _compile(self, path: Path, locale: str, source: str) -> Template:
        try:
            return _environment(locale).from_string(source)
        except TemplateError as exc:
            raise PromptError(f"{path}: template does not compile: {exc}") from exc

    def _load(self) -> None:
        files = sorted(self.directory.glob("*/*.yaml"))
        if not files:
            raise PromptError(f"no prompt files under {self.directory}")
        digest = hashlib.sha256()
        for path in files:
            data = self._read(path)
            digest.update(path.read_bytes())
            try:
                if data.get("kind") == "llm":
                    llm = LLMPromptFile.model_validate(data)
                    self.llm[llm.locale] = (
                        llm,
                        self._compile(path, llm.locale, llm.system),
                        self._compile(path, llm.locale, llm.template),
                        self._compile(path, llm.locale, llm.reask),
                    )
                elif data.get("kind") == "engine":
                    engine = EngineTemplateFile.model_validate(data)
                    compiled: dict[str, Template] = {
                        channel: self._compile(path, engine.locale, source)
                        for channel, source in engine.channels.items()
                    }
                    self.engine[engine.locale] = (engine, compiled)
                elif data.get("kind") == "defaults":
                    defaults = DefaultMessagesFile.model_validate(data)
                    messages: dict[tuple[str, str], Template] = {
                        (status, channel): self._compile(path, defaults.locale, source)
                        for status, by_channel in defaults.messages.items()
                        for channel, source in by_channel.items()
                    }
                    self.defaults[defaults.locale] = (defaults, messages)
                else:
                    raise PromptError(f"{path}: kind must be llm, engine or defaults")
            except ValidationError as exc:
                raise PromptError(f"{path}: invalid prompt file: {exc}") from exc
        self.version = digest.hexdigest()[:12]
        self._check_complete()

    def _check_complete(self) -> None:
        for locale in LOCALES:
            if locale not in self.llm or locale not in self.engine or locale not in self.defaults:
                raise PromptError(f"prompt files for locale {locale!r} are incomplete")
            _, engine = self.engine[locale]
            _, defaults = self.defaults[locale]
            for channel in CHANNELS:
                if channel not in engine:
                    raise PromptError(f"engine templates ({locale}) lack channel {channel!r}")
                for status in STATUSES:
                    if (status, channel) not in defaults:
                        raise PromptError(
                            f"default messages ({locale}) lack {status!r} for {channel!r}"
                        )

    def _render(self, template: Template, variables: dict[str, Any], what: str) -> str:
        try:
            return template.render(**variables)
        except TemplateError as exc:
            raise PromptError(f"{what} does not render: {exc}") from exc

    def render_llm(self, locale: str, variables: dict[str, Any]) -> tuple[str, str]:
        """(system, user) messages of the LLM prompt."""
        _, system, template, _ = self.llm[locale]
        return (
            self._render(system, variables, f"llm system prompt ({locale})").strip(),
            self._render(template, variables, f"llm prompt ({locale})").strip(),
        )

    def render_reask(self, locale: str, variables: dict[str, Any]) -> str:
        """The follow-up message asking the model to fix the violations."""
        _, _, _, reask = self.llm[locale]
        return self._render(reask, variables, f"reask prompt ({locale})").strip()

    def render_engine(self, locale: str, channel: str, variables: dict[str, Any]) -> str:
        """The built-in engine's message for a channel."""
        _, templates = self.engine[locale]
        text = self._render(templates[channel], variables, f"engine template {locale}/{channel}")
        return tidy(text, locale)

    def render_default(self, locale: str, status: str, channel: str, **variables: Any) -> str:
        """The prepared default message for (status, channel, locale)."""
        _, messages = self.defaults[locale]
        template = messages[(status, channel)]
        return self._render(template, variables, f"default message {locale}/{status}/{channel}")

    def prompt_version(self, model: str, locale: str) -> str:
        """The version string recorded on a draft."""
        if model.startswith("local/"):
            return f"{self.engine[locale][0].version}+{self.version}"
        return f"{self.llm[locale][0].version}+{self.version}"
