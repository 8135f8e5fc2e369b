"""Customer reports -> impact signals. Never commits, never raises HTTP errors.

Grouping is incremental: a new report is compared with its incident's group centroids only
(GroupIndex), and group state (feature sum, size) is stored, so every API process agrees.
Times of "last 5/15 minutes" are relative to the incident's newest report, so replayed or
back-filled incidents behave as they did live.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import case, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.service import record
from app.auth import CurrentUser, require_writer
from app.config import get_settings
from app.db import utcnow
from app.drafting.models import Draft
from app.errors import Conflict, PayloadTooLarge
from app.incidents.service import RESOLVED, get_incident
from app.pagination import time_ordered_page
from app.signals.embedding import Embedder
from app.signals.grouping import (
    GroupIndex,
    GroupingParameters,
    GroupState,
    Vector,
    features,
    ngram_vector,
)
from app.signals.labels import scrub_pii, sentences, shorten
from app.signals.models import CustomerReport, SignalGroup, SignalView
from app.signals.schemas import MAX_REPORT_BATCH, ReportIn, SignalRead, Trend

DEFAULT_PARAMETERS = GroupingParameters()
# A message sentence this similar to a signal's centroid speaks of it (same scale as joining).
COVERED_THRESHOLD = DEFAULT_PARAMETERS.join_threshold
# Without the embedder only the n-gram part can be compared; its cosines run lower.
COVERED_NGRAM_THRESHOLD = 0.3
LABEL_CANDIDATES = 50
MAX_EXAMPLES = 3


def _to_bytes(vector: Vector) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def _from_bytes(raw: bytes) -> Vector:
    return np.frombuffer(raw, dtype=np.float32).copy()


def _min_reports(min_reports: int | None) -> int:
    return get_settings().signal_min_reports if min_reports is None else min_reports


def add_reports(
    session: Session,
    user: CurrentUser,
    incident_id: int,
    reports: Sequence[ReportIn],
    *,
    embedder: Embedder,
    parameters: GroupingParameters = DEFAULT_PARAMETERS,
) -> tuple[list[CustomerReport], int, bool]:
    """Store a batch atomically and group it; returns (reports, duplicates, after_resolution)."""
    require_writer(user)
    if len(reports) > MAX_REPORT_BATCH:
        raise PayloadTooLarge(
            f"a batch holds at most {MAX_REPORT_BATCH} reports, got {len(reports)}: "
            "split it into several calls"
        )
    # Embed before the first query: on SQLite the transaction holds the write lock, and the
    # model is most of the cost of a batch.
    texts = [item.text for item in reports]
    rows = features(texts, embedder.embed(texts), parameters)
    # Locking the incident row serialises grouping per incident across API processes
    # (PostgreSQL SELECT ... FOR UPDATE; SQLite serialises writers already).
    incident = get_incident(session, incident_id, for_update=True)
    after_resolution = incident.status == RESOLVED
    existing = _existing_by_external_id(session, incident.id, reports)
    index = _load_index(session, incident.id, parameters)
    result: list[CustomerReport] = []
    created: list[tuple[CustomerReport, GroupState]] = []
    for item, row in zip(reports, rows, strict=True):
        if item.external_id is not None and item.external_id in existing:
            result.append(existing[item.external_id])
            continue
        report = CustomerReport(
            incident_id=incident.id,
            at=item.at,
            source=item.source,
            customer=item.customer,
            text=item.text,
            external_id=item.external_id,
            after_resolution=after_resolution,
            feature=_to_bytes(row),
            created_by=user.name,
        )
        if item.external_id is not None:
            existing[item.external_id] = report
        created.append((report, index.assign(row)))
        result.append(report)
    if created:
        _store(session, incident.id, index, created)
        record(
            session,
            actor=user.name,
            action="reports.added",
            subject_type="incident",
            subject_id=incident.id,
            incident_id=incident.id,
            data={
                "count": len(created),
                "first_id": created[0][0].id,
                "last_id": created[-1][0].id,
                "after_resolution": after_resolution,
            },
        )
    return result, len(reports) - len(created), after_resolution


def _existing_by_external_id(
    session: Session, incident_id: int, reports: Sequence[ReportIn]
) -> dict[str, CustomerReport]:
    external_ids = {item.external_id for item in reports if item.external_id is not None}
    if not external_ids:
        return {}
    stored = session.scalars(
        select(CustomerReport).where(
            CustomerReport.incident_id == incident_id,
            CustomerReport.external_id.in_(external_ids),
        )
    ).all()
    return {report.external_id: report for report in stored if report.external_id is not None}


def _load_index(session: Session, incident_id: int, parameters: GroupingParameters) -> GroupIndex:
    groups = session.execute(
        select(SignalGroup.id, SignalGroup.feature_sum, SignalGroup.report_count)
        .where(SignalGroup.incident_id == incident_id)
        .order_by(SignalGroup.id)
        .with_for_update()
    ).all()
    return GroupIndex(
        parameters,
        [
            GroupState(key=row.id, total=_from_bytes(row.feature_sum), count=row.report_count)
            for row in groups
        ],
    )


def _store(
    session: Session,
    incident_id: int,
    index: GroupIndex,
    created: list[tuple[CustomerReport, GroupState]],
) -> None:
    """Write the index's changes: new and updated groups, merges, and the new reports."""
    by_key = {group.key: group for group in index.groups}

    def survivor(group: GroupState) -> GroupState:
        while group.merged_into is not None:
            group = by_key[group.merged_into]
        return group

    now = utcnow()
    times: dict[int, list[datetime]] = defaultdict(list)
    for report, group in created:
        times[survivor(group).key].append(report.at)
    rows: dict[int, SignalGroup] = {}
    existing_ids = [g.key for g in index.groups if g.key > 0 and g.changed]
    if existing_ids:
        for row in session.scalars(select(SignalGroup).where(SignalGroup.id.in_(existing_ids))):
            rows[row.id] = row
    for group in index.groups:
        if group.merged_into is not None or not group.changed:
            continue
        if group.key < 0:
            stamps = times[group.key]
            row = SignalGroup(
                incident_id=incident_id,
                feature_sum=b"",
                report_count=0,
                first_seen=min(stamps),
                last_seen=max(stamps),
                created_at=now,
            )
            session.add(row)
            rows[group.key] = row
        row = rows[group.key]
        row.feature_sum = _to_bytes(group.total)
        row.report_count = group.count
        row.updated_at = now
    session.flush()
    # Groups that merged away: their reports move to the survivor, the empty row goes.
    for group in index.groups:
        if group.merged_into is None or group.key < 0:
            continue
        target = rows[survivor(group).key]
        gone = session.get(SignalGroup, group.key)
        if gone is not None:
            target.first_seen = min(target.first_seen, gone.first_seen)
            target.last_seen = max(target.last_seen, gone.last_seen)
        session.execute(
            update(CustomerReport)
            .where(CustomerReport.group_id == group.key)
            .values(group_id=target.id)
            .execution_options(synchronize_session=False)
        )
        session.execute(delete(SignalGroup).where(SignalGroup.id == group.key))
    for key, stamps in times.items():
        row = rows[key]
        row.first_seen = min(row.first_seen, *stamps)
        row.last_seen = max(row.last_seen, *stamps)
    for report, group in created:
        report.group_id = rows[survivor(group).key].id
    session.add_all([report for report, _ in created])
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "another request added reports with the same external_id at the same time: "
            "retry this batch (retries are idempotent)"
        ) from exc


def list_reports(
    session: Session, incident_id: int, *, limit: int, cursor: str | None
) -> tuple[Sequence[CustomerReport], str | None]:
    """Reports in time order (ties by arrival), a page at a time."""
    get_incident(session, incident_id)
    query = select(CustomerReport).where(CustomerReport.incident_id == incident_id)
    return time_ordered_page(
        session,
        query,
        at_column=CustomerReport.at,
        id_column=CustomerReport.id,
        limit=limit,
        cursor=cursor,
    )


def reports_cursor(session: Session, incident_id: int) -> int:
    """The newest report id of the incident, 0 when none."""
    value = session.scalar(
        select(func.max(CustomerReport.id)).where(CustomerReport.incident_id == incident_id)
    )
    return int(value or 0)


def report_customers(session: Session, incident_id: int) -> tuple[str, ...]:
    """Distinct customer names of the incident's reports (for the PII guard)."""
    names = session.scalars(
        select(CustomerReport.customer)
        .where(CustomerReport.incident_id == incident_id, CustomerReport.customer.is_not(None))
        .distinct()
    ).all()
    return tuple(sorted(name for name in names if name))


def _groups_below_minimum_at(
    session: Session, incident_id: int, cursor: int, min_reports: int
) -> set[int]:
    """Ids of current signals that had fewer than `min_reports` reports with id <= cursor."""
    rows = session.execute(
        select(
            CustomerReport.group_id,
            func.sum(case((CustomerReport.id <= cursor, 1), else_=0)).label("before"),
        )
        .where(CustomerReport.incident_id == incident_id)
        .group_by(CustomerReport.group_id)
        .having(func.count() >= min_reports)
    ).all()
    return {row.group_id for row in rows if int(row.before or 0) < min_reports}


def list_signals(
    session: Session,
    incident_id: int,
    *,
    min_reports: int | None = None,
    embedder: Embedder | None = None,
    seen_cursor: int | None = None,
    limit: int | None = None,
) -> list[SignalRead]:
    """Signals of the incident, largest first; `new` is relative to `seen_cursor`."""
    minimum = _min_reports(min_reports)
    groups = session.scalars(
        select(SignalGroup)
        .where(SignalGroup.incident_id == incident_id, SignalGroup.report_count >= minimum)
        .order_by(SignalGroup.report_count.desc(), SignalGroup.first_seen, SignalGroup.id)
        .limit(limit)
    ).all()
    if not groups:
        return []
    group_ids = [group.id for group in groups]
    newest = session.scalar(
        select(func.max(CustomerReport.at)).where(CustomerReport.incident_id == incident_id)
    )
    assert newest is not None
    members: dict[int, list[tuple[int, datetime, str | None]]] = defaultdict(list)
    for row in session.execute(
        select(
            CustomerReport.group_id, CustomerReport.id, CustomerReport.at, CustomerReport.customer
        )
        .where(CustomerReport.group_id.in_(group_ids))
        .order_by(CustomerReport.id)
    ):
        members[row.group_id].append((row.id, row.at, row.customer))
    customers_all = report_customers(session, incident_id)
    fresh = (
        _groups_below_minimum_at(session, incident_id, seen_cursor, minimum)
        if seen_cursor is not None
        else set()
    )
    message_sentences = _approved_message_sentences(session, incident_id)
    sentence_features = _sentence_features(message_sentences, embedder)
    signals = []
    for group in groups:
        centroid = _from_bytes(group.feature_sum)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        label, examples = _label_and_examples(session, group.id, centroid, customers_all)
        stamps = [at for _, at, _ in members[group.id]]
        last_5m = sum(1 for at in stamps if at > newest - timedelta(minutes=5))
        last_15m = sum(1 for at in stamps if at > newest - timedelta(minutes=15))
        customers = list(dict.fromkeys(c for _, _, c in members[group.id] if c))
        signals.append(
            SignalRead(
                id=group.id,
                label=label,
                count=group.report_count,
                customers=customers,
                first_seen=group.first_seen,
                last_seen=group.last_seen,
                last_5m=last_5m,
                last_15m=last_15m,
                trend=_trend(last_5m, last_15m),
                examples=examples,
                new=group.id in fresh,
                covered=_covered(centroid, sentence_features, embedder is not None),
            )
        )
    return signals


def _trend(last_5m: int, last_15m: int) -> Trend:
    """Rising when the last 5 minutes beat the 5-minute rate of the 10 before; falling if half."""
    earlier_rate = (last_15m - last_5m) / 2
    if last_5m > max(earlier_rate * 1.5, 1):
        return "rising"
    if last_5m < earlier_rate / 2:
        return "falling"
    return "steady"


def _label_and_examples(
    session: Session, group_id: int, centroid: Vector, customers: Sequence[str]
) -> tuple[str, list[str]]:
    """Label: the most central of the newest members, shortened; examples: the most central 3."""
    rows = session.execute(
        select(CustomerReport.text, CustomerReport.feature)
        .where(CustomerReport.group_id == group_id)
        .order_by(CustomerReport.id.desc())
        .limit(LABEL_CANDIDATES)
    ).all()
    scored = sorted(rows, key=lambda row: float(_from_bytes(row.feature) @ centroid), reverse=True)
    examples: list[str] = []
    for row in scored:
        text = scrub_pii(row.text, customers)
        if text not in examples:
            examples.append(text)
        if len(examples) == MAX_EXAMPLES:
            break
    return shorten(examples[0]), examples


def _approved_message_sentences(session: Session, incident_id: int) -> list[str]:
    text = session.scalar(
        select(Draft.text)
        .where(Draft.incident_id == incident_id, Draft.state.in_(("approved", "published")))
        .order_by(Draft.decided_at.desc().nulls_last(), Draft.id.desc())
        .limit(1)
    )
    return sentences(text) if text else []


def _sentence_features(texts: list[str], embedder: Embedder | None) -> Vector | None:
    if not texts:
        return None
    if embedder is None:
        return np.stack([ngram_vector(text) for text in texts])
    return features(texts, embedder.embed(texts), DEFAULT_PARAMETERS)


def _covered(centroid: Vector, sentence_features: Vector | None, with_embeddings: bool) -> bool:
    if sentence_features is None:
        return False
    if with_embeddings:
        return bool(np.max(sentence_features @ centroid) >= COVERED_THRESHOLD)
    ngram_part = centroid[-sentence_features.shape[1] :]
    norm = float(np.linalg.norm(ngram_part))
    if norm == 0:
        return False
    return bool(np.max(sentence_features @ (ngram_part / norm)) >= COVERED_NGRAM_THRESHOLD)


def signals_for(
    session: Session,
    user: CurrentUser,
    incident_id: int,
    *,
    min_reports: int,
    embedder: Embedder | None,
) -> tuple[list[SignalRead], int]:
    """Signals as `user` sees them (new since their last look) and the cursor to remember."""
    get_incident(session, incident_id)
    seen = session.scalar(
        select(SignalView.reports_cursor).where(
            SignalView.incident_id == incident_id, SignalView.principal_id == user.id
        )
    )
    signals = list_signals(
        session,
        incident_id,
        min_reports=min_reports,
        embedder=embedder,
        seen_cursor=seen if seen is not None else 0,
    )
    return signals, reports_cursor(session, incident_id)


def mark_seen(session: Session, user: CurrentUser, incident_id: int, cursor: int) -> None:
    """Remember that `user` has seen the incident's signals up to report `cursor`."""
    view = session.scalar(
        select(SignalView).where(
            SignalView.incident_id == incident_id, SignalView.principal_id == user.id
        )
    )
    if view is None:
        session.add(
            SignalView(incident_id=incident_id, principal_id=user.id, reports_cursor=cursor)
        )
    else:
        view.reports_cursor = max(view.reports_cursor, cursor)
        view.seen_at = utcnow()
    session.flush()


def top_signals(session: Session, incident_id: int, limit: int = 5) -> list[SignalRead]:
    """The largest signals, for the drafting fact sheet."""
    return list_signals(session, incident_id, limit=limit)


def new_signals_since(session: Session, incident_id: int, reports_cursor: int) -> list[SignalRead]:
    """Signals that did not exist, or were below the minimum size, at `reports_cursor`."""
    return [
        signal
        for signal in list_signals(session, incident_id, seen_cursor=reports_cursor)
        if signal.new
    ]
