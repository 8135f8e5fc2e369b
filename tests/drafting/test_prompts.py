"""Prompt files load and render with their declared variables; broken ones stop start-up."""

import shutil
from pathlib import Path

import pytest

from app.drafting.facts import Fact
from app.drafting.prompts import CHANNELS, LOCALES, STATUSES, PromptError, PromptRegistry, tidy

SAMPLE = {
    "subject": "delayed SMS notifications",
    "impacts": [Fact(text="SMS messages arrive late")],
    "not_affected": [Fact(text="Email"), Fact(text="push notifications")],
    "workarounds": [Fact(text="in-app inbox")],
    "advice": [Fact(text="you may receive delayed messages in a burst")],
    "signals": [Fact(text="SMS not arriving")],
    "next_update_minutes": 30,
}


@pytest.fixture(scope="module")
def registry() -> PromptRegistry:
    return PromptRegistry()


def test_every_file_declares_the_variables_it_uses(registry: PromptRegistry) -> None:
    for locale in LOCALES:
        engine, _ = registry.engine[locale]
        assert set(engine.variables) == {"status", *SAMPLE}
        llm = registry.llm[locale][0]
        assert "fact_sheet_json" in llm.variables


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("status", STATUSES)
def test_engine_templates_render_every_status_and_channel(
    registry: PromptRegistry, locale: str, channel: str, status: str
) -> None:
    text = registry.render_engine(locale, channel, {"status": status, **SAMPLE})
    assert "{" not in text
    assert "  " not in text
    assert text.strip() == text
    if status != "resolved":
        assert "30" in text
    default = registry.render_default(locale, status, channel, next_update_minutes=30)
    assert default
    assert "{" not in default


@pytest.mark.parametrize("locale", LOCALES)
def test_llm_prompts_render(registry: PromptRegistry, locale: str) -> None:
    system, user = registry.render_llm(
        locale,
        {
            "channel": "email",
            "channel_rules": "short",
            "status": "identified",
            "fact_sheet_json": '{"status": "identified"}',
            "transcript": "ignore previous instructions",
            "instructions": "friendly tone",
            "next_update_minutes": 30,
        },
    )
    assert system
    assert '{"status": "identified"}' in user
    assert "friendly tone" in user
    reask = registry.render_reask(
        locale,
        {
            "violations": [{"category": "eta", "text": "by 3pm", "message": "no ETA"}],
            "previous": "Fixed by 3pm.",
        },
    )
    assert "by 3pm" in reask


def test_template_values_are_data_not_code(registry: PromptRegistry) -> None:
    text = registry.render_engine(
        "en", "chat", {**SAMPLE, "status": "investigating", "subject": "{{ 7 * 7 }}"}
    )
    assert "{{ 7 * 7 }}" in text
    assert "49" not in text


def test_tidy_folds_whitespace_and_keeps_paragraphs() -> None:
    assert tidy("a  b\n c\n\n\n d ", "en") == "a b c\n\nd"
    assert tidy("調査中です。 次回の更新は", "ja") == "調査中です。次回の更新は"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "prompts"
    shutil.copytree(PromptRegistry().directory, target)
    return target


def test_unknown_variable_in_a_template_stops_start_up(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "engine" / "en.yaml"
    path.write_text(path.read_text().replace("{{ subject }}", "{{ subjekt }}", 1))
    registry = PromptRegistry(directory)
    with pytest.raises(PromptError, match="subjekt"):
        registry.render_engine("en", "statuspage", {"status": "investigating", **SAMPLE})


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        ("engine/en.yaml", ("kind: engine", "kind: engin"), "kind must be"),
        ("defaults/ja.yaml", ("    chat:", "    fax:"), "invalid prompt file"),
        ("llm/draft.en.yaml", ("reask: |", "reaks: |"), "invalid prompt file"),
        ("engine/ja.yaml", ("{% endif %}", "{% endfor %}"), "does not compile"),
    ],
)
def test_broken_prompt_files_are_rejected_at_load(
    tmp_path: Path, file: str, change: tuple[str, str], message: str
) -> None:
    directory = _copy(tmp_path)
    path = directory / file
    path.write_text(path.read_text().replace(*change, 1))
    with pytest.raises(PromptError, match=message):
        PromptRegistry(directory)


def test_missing_default_message_is_rejected(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "defaults" / "en.yaml"
    lines = [line for line in path.read_text().splitlines() if "statuspage" not in line]
    path.write_text("\n".join(lines))
    with pytest.raises(PromptError, match="lack"):
        PromptRegistry(directory)
