"""report.html: one self-contained page (inline CSS and SVG, no external assets)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from evals.scorers import SUMMARY_KEYS

# Scores where lower is better, to colour changes against a baseline.
LOWER_IS_BETTER = frozenset(
    {"leak_rate", "blocked_rate", "false_claim_rate", "fallback_rate"}
    | {"latency_ms_p50", "latency_ms_p95"}
)
CHART_SCORES = ("status_accuracy", "mention_recall", "length_ok_rate", "similarity", "leak_rate")
CHART_COLOURS = ("#2b6cb0", "#2f855a", "#805ad5", "#dd6b20", "#c53030")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1a202c;
 max-width:1200px}
h1{font-size:1.5rem}h2{margin-top:2.5rem;border-bottom:1px solid #cbd5e0}
table{border-collapse:collapse;margin:.5rem 0 1rem}
th,td{border:1px solid #e2e8f0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f7fafc}td.num{text-align:right;font-variant-numeric:tabular-nums}
.better{color:#276749}.worse{color:#c53030;font-weight:bold}.muted{color:#718096}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin:.5rem 0 1.5rem}
.pair div{border:1px solid #e2e8f0;padding:.5rem;white-space:pre-wrap;border-radius:4px}
mark.blocking{background:#fed7d7}mark.warning{background:#fefcbf}
.fail{color:#c53030}.ok{color:#276749}.legend span{margin-right:1rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.25rem}
"""


def _number(value: Any, score: str = "") -> str:
    if value is None:
        return "–"
    if score.startswith("latency"):
        return f"{float(value):.0f}"
    return f"{float(value):.3f}"


def _change_cell(score: str, change: Mapping[str, Any] | None) -> str:
    if change is None or change.get("change") is None:
        return '<td class="num muted">–</td>'
    delta = float(change["change"])
    if abs(delta) < 1e-9:
        return '<td class="num muted">±0</td>'
    improved = (delta < 0) if score in LOWER_IS_BETTER else (delta > 0)
    css = "worse" if change.get("regressed") else ("better" if improved else "")
    mark = " (regression)" if change.get("regressed") else ""
    return f'<td class="num {css}">{delta:+.3f}{mark}</td>'


def summary_table(summary: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> str:
    """The summary scores, with their change when a baseline was given."""
    changes = (baseline or {}).get("changes", {})
    head = "<tr><th>score</th><th>value</th>" + ("<th>change</th>" if baseline else "") + "</tr>"
    rows = []
    for score in SUMMARY_KEYS:
        cells = f"<td>{score}</td><td class='num'>{_number(summary.get(score), score)}</td>"
        if baseline:
            cells += _change_cell(score, changes.get(score))
        rows.append(f"<tr>{cells}</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def highlight(text: str, violations: Sequence[Mapping[str, Any]]) -> str:
    """The text, escaped, with each violation's span marked (blocking in red, warnings yellow)."""
    spans: list[tuple[int, int, Mapping[str, Any]]] = []
    for violation in violations:
        span = violation.get("span")
        start = end = -1
        if isinstance(span, list | tuple) and len(span) == 2:
            start, end = int(span[0]), int(span[1])
        if not (0 <= start < end <= len(text)):
            found = text.find(str(violation.get("text") or "\0"))
            if found < 0:
                continue
            start, end = found, found + len(str(violation["text"]))
        spans.append((start, end, violation))
    spans.sort(key=lambda item: item[0])
    parts: list[str] = []
    cursor = 0
    for start, end, violation in spans:
        if start < cursor:
            continue  # overlapping spans: the first one wins
        parts.append(escape(text[cursor:start]))
        css = "blocking" if violation.get("blocking") else "warning"
        title = escape(f"{violation.get('category')}: {violation.get('message', '')}", quote=True)
        parts.append(f'<mark class="{css}" title="{title}">{escape(text[start:end])}</mark>')
        cursor = end
    parts.append(escape(text[cursor:]))
    return "".join(parts)


def scores_chart(incidents: Sequence[Mapping[str, Any]]) -> str:
    """Grouped horizontal bars: a few scores (0..1) per incident."""
    bar, gap, label_width, width = 7, 10, 190, 420
    group_height = bar * len(CHART_SCORES) + gap
    height = group_height * len(incidents) + 30
    parts = [
        f'<svg width="{label_width + width + 60}" '
        f'height="{height}" role="img" aria-label="scores per incident">'
    ]
    for row, incident in enumerate(incidents):
        top = row * group_height + 10
        parts.append(
            f'<text x="0" y="{top + group_height / 2}" font-size="11">'
            f"{escape(str(incident['id']))}</text>"
        )
        for column, score in enumerate(CHART_SCORES):
            value = incident["summary"].get(score)
            length = 0.0 if value is None else max(0.0, min(1.0, float(value))) * width
            y = top + column * bar
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar - 1}" '
                f'fill="{CHART_COLOURS[column]}"><title>{score}: {_number(value)}</title></rect>'
            )
    parts.append(
        f'<line x1="{label_width + width}" y1="0" x2="{label_width + width}" y2="{height - 20}" '
        'stroke="#a0aec0" stroke-dasharray="3"/>'
    )
    parts.append("</svg>")
    legend = "".join(
        f'<span><i class="swatch" style="background:{colour}"></i>{score}</span>'
        for score, colour in zip(CHART_SCORES, CHART_COLOURS, strict=True)
    )
    return f'<div class="legend">{legend}</div>' + "".join(parts)


def latency_chart(latencies: Sequence[float], bins: int = 12) -> str:
    """A histogram of draft request latencies in milliseconds."""
    if not latencies:
        return '<p class="muted">No latencies (no draft came back).</p>'
    low, high = min(latencies), max(latencies)
    step = (high - low) / bins or 1.0
    counts = [0] * bins
    for value in latencies:
        counts[min(bins - 1, int((value - low) / step))] += 1
    width, height, bar_width = 480, 160, 480 / bins
    peak = max(counts)
    parts = [
        f'<svg width="{width + 20}" height="{height + 40}" '
        'role="img" aria-label="latency distribution">'
    ]
    for index, count in enumerate(counts):
        bar_height = height * count / peak
        x = index * bar_width + 10
        start = low + index * step
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bar_height + 5:.1f}" width="{bar_width - 2:.1f}" '
            f'height="{bar_height:.1f}" fill="#2b6cb0"><title>{start:.0f}–{start + step:.0f} ms: '
            f"{count}</title></rect>"
        )
    parts.append(
        f'<text x="10" y="{height + 25}" font-size="11">{low:.0f} ms</text>'
        f'<text x="{width - 50}" y="{height + 25}" font-size="11">{high:.0f} ms</text></svg>'
    )
    return "".join(parts)


def _flag(ok: bool) -> str:
    return '<span class="ok">✓</span>' if ok else '<span class="fail">✗</span>'


def _case_rows(cases: Sequence[Mapping[str, Any]]) -> str:
    head = (
        "<tr><th>checkpoint</th><th>channel</th><th>status</th><th>status ok</th>"
        "<th>mentions</th><th>leaks</th><th>false claims</th><th>blocked</th><th>length</th>"
        "<th>fallback</th><th>similarity</th><th>latency ms</th></tr>"
    )
    rows = []
    for case in cases:
        scores = case["scores"]
        rows.append(
            "<tr>"
            f"<td>{escape(case['checkpoint_at'])}</td><td>{escape(case['channel'])}</td>"
            f"<td>{escape(case['expected_status'])}</td><td>{_flag(scores['status_ok'])}</td>"
            f"<td class='num'>{scores['mention_recall']:.2f}</td>"
            f"<td>{escape(', '.join(scores['leaked'])) or _flag(True)}</td>"
            f"<td>{escape(', '.join(scores['false_claims'])) or _flag(True)}</td>"
            f"<td>{_flag(not scores['blocked'])}</td><td>{_flag(scores['length_ok'])}</td>"
            f"<td>{'yes' if scores['fallback'] else 'no'}</td>"
            f"<td class='num'>{_number(scores['similarity'])}</td>"
            f"<td class='num'>{_number(scores['latency_ms'], 'latency')}</td></tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def _case_pairs(cases: Sequence[Mapping[str, Any]]) -> str:
    parts = []
    for case in cases:
        violations = case["guard_report"].get("violations", [])
        draft = (
            highlight(case["text"], violations)
            if case["text"] is not None
            else f'<span class="fail">{escape(case.get("error") or "no draft")}</span>'
        )
        listed = "".join(
            f"<li>{escape(str(v.get('category')))}{' (blocking)' if v.get('blocking') else ''}: "
            f"{escape(str(v.get('message', '')))}</li>"
            for v in violations
        )
        missing = case["scores"]["missing"]
        missing_text = (
            f"<p class='fail'>missing: {escape(' / '.join('|'.join(g) for g in missing))}</p>"
            if missing
            else ""
        )
        parts.append(
            f"<h4>{escape(case['checkpoint_at'])} · {escape(case['channel'])} · "
            f"{escape(case['expected_status'])}</h4>"
            f'<div class="pair"><div><b>draft</b>\n{draft}</div>'
            f"<div><b>reference</b>\n{escape(case.get('reference') or '–')}</div></div>"
            f"{missing_text}{f'<ul>{listed}</ul>' if listed else ''}"
        )
    return "".join(parts)


def _grouping_html(grouping: Mapping[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{escape(incident)}</td><td class='num'>{_number(s.get('ari'))}</td>"
        f"<td class='num'>{_number(s.get('nmi'))}</td>"
        f"<td class='num'>{_number(s.get('noise_rate'))}</td></tr>"
        for incident, s in grouping.get("per_incident", {}).items()
    )
    note = f"<p class='muted'>{escape(grouping['note'])}</p>" if grouping.get("note") else ""
    return (
        f"<h2>Report grouping</h2>{note}<table><tr><th>incident</th><th>ARI</th><th>NMI</th>"
        f"<th>noise rate</th></tr><tr><th>pooled</th><td class='num'>"
        f"{_number(grouping.get('ari'))}</td><td class='num'>{_number(grouping.get('nmi'))}</td>"
        f"<td class='num'>{_number(grouping.get('noise_rate'))}</td></tr>{rows}</table>"
    )


def _guards_html(guards: Mapping[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{escape(category)}</td><td>{escape(locale)}</td>"
        f"<td class='num'>{s['precision']:.3f}</td><td class='num'>{s['recall']:.3f}</td>"
        f"<td class='num'>{s['f1']:.3f}</td><td class='num'>{s['support']}</td></tr>"
        for category, locales in guards.items()
        for locale, s in locales.items()
    )
    return (
        "<h2>Guards on the labelled corpus</h2><table><tr><th>category</th><th>locale</th>"
        f"<th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>{rows}</table>"
    )


def render_report(document: Mapping[str, Any], cases: Sequence[Mapping[str, Any]]) -> str:
    """The whole page from results.json's document and the cases.jsonl records."""
    run = document["run"]
    by_incident: dict[str, list[Mapping[str, Any]]] = {}
    for case in cases:
        by_incident.setdefault(case["incident_id"], []).append(case)
    latencies = [
        float(case["scores"]["latency_ms"])
        for case in cases
        if case["scores"]["latency_ms"] is not None
    ]
    notes = "".join(f"<li>{escape(note)}</li>" for note in run.get("notes", []))
    missed = document.get("thresholds", {}).get("missed", [])
    sections = [
        f"<h1>Liaison evaluation — {escape(run['started_at'])}</h1>",
        f"<p>{run['incidents']} incidents, {run['cases']} drafts, {run['errors']} errors, "
        f"model {escape(str(run.get('model') or 'default'))}, {run['wall_seconds']} s.</p>",
        f"<ul>{notes}</ul>" if notes else "",
        "<h2>Summary</h2>",
        summary_table(document["summary"], document.get("baseline")),
        "".join(f"<p class='fail'>threshold missed: {escape(m)}</p>" for m in missed),
        "<h2>Scores per incident</h2>",
        scores_chart(document["incidents"]),
        "<h2>Draft latency</h2>",
        latency_chart(latencies),
    ]
    if "grouping" in document:
        sections.append(_grouping_html(document["grouping"]))
    if "guards" in document:
        sections.append(_guards_html(document["guards"]))
    for incident in document["incidents"]:
        incident_cases = by_incident.get(incident["id"], [])
        sections.append(
            f'<h2 id="{escape(incident["id"], quote=True)}">{escape(incident["id"])} — '
            f"{escape(incident['title'])} ({escape(incident['locale'])})</h2>"
        )
        sections.append(summary_table(incident["summary"], None))
        sections.append(_case_rows(incident_cases))
        sections.append(_case_pairs(incident_cases))
    body = "\n".join(section for section in sections if section)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Liaison evaluation</title><style>{CSS}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )
