"""Customer reports -> impact signals. Never commits, never raises HTTP errors.

Grouping is incremental: a new report is compared with its incident's group centroids only
(GroupIndex); group state (feature sum, size) and the incident's statistics (mean embedding,
term document frequencies) are stored, so every API process agrees. When enough reports arrived
since the last time, a batch re-groups the incident's latest `regroup_window` reports (bounded).
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
from app.idempotency import stored_by_external_id
from app.incidents.service import RESOLVED, get_incident
from app.pagination import time_ordered_page
from app.signals.embedding import Embedder
from app.signals.grouping import (
    TERM_BUCKETS,
    GroupIndex,
    GroupingParameters,
    GroupState,
    IncidentStats,
    Vector,
    embedding_dimensions,
    project,
    raw_features,
)
from app.signals.labels import scrub_pii, sentences, shorten
from app.signals.models import CustomerReport, SignalGroup, SignalIncidentStats, SignalView
from app.signals.schemas import MAX_REPORT_BATCH, ReportIn, SignalRead, Trend

DEFAULT_PARAMETERS = GroupingParameters()
# A message sentence whose embedding is this similar (cosine) to a signal's mean embedding
# speaks of it.
COVERED_THRESHOLD = 0.4
# Without the embedder only the content terms (tf-idf) can be compared; their cosines run lower.
COVERED_TERMS_THRESHOLD = 0.3
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
    rows = raw_features(texts, embedder.embed(texts))
    # Locking the incident row serialises grouping per incident across API processes
    # (PostgreSQL SELECT ... FOR UPDATE; SQLite serialises writers already).
    incident = get_incident(session, incident_id, for_update=True)
    after_resolution = incident.status == RESOLVED
    existing = stored_by_external_id(
        session, CustomerReport, incident.id, (item.external_id for item in reports)
    )
    result: list[CustomerReport] = []
    new_reports: list[CustomerReport] = []
    new_rows: list[Vector] = []
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
        new_reports.append(report)
        new_rows.append(row)
        result.append(report)
    if new_reports:
        index, stats_row = _load_index(session, incident.id, parameters, rows.shape[1])
        batch = np.stack(new_rows)
        keys = [group.key for group in index.assign_batch(batch)]
        moved: dict[int, int] = {}
        if index.regroup_due():
            moved, keys = _regroup(session, incident.id, index, batch, keys)
        _store(session, incident.id, index, stats_row, new_reports, keys, moved)
        record(
            session,
            actor=user.name,
            action="reports.added",
            subject_type="incident",
            subject_id=incident.id,
            incident_id=incident.id,
            data={
                "count": len(new_reports),
                "first_id": new_reports[0].id,
                "last_id": new_reports[-1].id,
                "after_resolution": after_resolution,
                "regrouped": len(moved),
            },
        )
    return result, len(reports) - len(new_reports), after_resolution


def _load_stats(session: Session, incident_id: int) -> SignalIncidentStats | None:
    return session.get(SignalIncidentStats, incident_id)


def _stats_of(row: SignalIncidentStats | None, width: int) -> IncidentStats:
    if row is None:
        return IncidentStats.empty(embedding_dimensions(width))
    return IncidentStats(
        count=row.report_count,
        embedding_sum=_from_bytes(row.embedding_sum),
        document_frequency=_from_bytes(row.document_frequency),
        since_regroup=row.since_regroup,
        noise_cutoff=row.noise_cutoff,
    )


def _load_index(
    session: Session, incident_id: int, parameters: GroupingParameters, width: int
) -> tuple[GroupIndex, SignalIncidentStats | None]:
    stats_row = session.execute(
        select(SignalIncidentStats)
        .where(SignalIncidentStats.incident_id == incident_id)
        .with_for_update()
    ).scalar_one_or_none()
    groups = session.execute(
        select(SignalGroup.id, SignalGroup.feature_sum, SignalGroup.report_count)
        .where(SignalGroup.incident_id == incident_id)
        .order_by(SignalGroup.id)
        .with_for_update()
    ).all()
    index = GroupIndex(
        parameters,
        _stats_of(stats_row, width),
        [
            GroupState(key=row.id, total=_from_bytes(row.feature_sum), count=row.report_count)
            for row in groups
        ],
    )
    return index, stats_row


def _regroup(
    session: Session, incident_id: int, index: GroupIndex, batch: Vector, keys: list[int]
) -> tuple[dict[int, int], list[int]]:
    """Re-cluster the latest `regroup_window` reports (stored ones plus this batch).

    Returns {stored report id: new group key} for stored reports that moved, and the new keys
    of the batch's reports.
    """
    room = max(index.parameters.regroup_window - len(keys), 0)
    stored = (
        session.execute(
            select(CustomerReport.id, CustomerReport.group_id, CustomerReport.feature)
            .where(CustomerReport.incident_id == incident_id)
            .order_by(CustomerReport.id.desc())
            .limit(room)
        ).all()
        if room
        else []
    )
    stored = list(reversed(stored))
    window_keys = [row.group_id for row in stored] + keys
    rows = np.vstack([*(_from_bytes(row.feature)[None, :] for row in stored), batch])
    # At most regroup_window rows: the re-grouping's all-pairs matrix stays bounded.
    new_keys = index.regroup(
        window_keys[-index.parameters.regroup_window :], rows[-index.parameters.regroup_window :]
    )
    offset = len(window_keys) - len(new_keys)
    moved = {
        row.id: key
        for row, key in zip(stored[offset:], new_keys[: len(stored) - offset], strict=True)
        if key != row.group_id
    }
    return moved, new_keys[len(new_keys) - len(keys) :]


def _store(
    session: Session,
    incident_id: int,
    index: GroupIndex,
    stats_row: SignalIncidentStats | None,
    new_reports: list[CustomerReport],
    keys: list[int],
    moved: dict[int, int],
) -> None:
    """Write the index's changes: statistics, new/updated/emptied groups, moved and new reports."""
    now = utcnow()
    stats = index.stats
    if stats_row is None:
        stats_row = SignalIncidentStats(incident_id=incident_id)
        session.add(stats_row)
    stats_row.report_count = stats.count
    stats_row.embedding_sum = _to_bytes(stats.embedding_sum)
    stats_row.document_frequency = _to_bytes(stats.document_frequency)
    stats_row.since_regroup = stats.since_regroup
    stats_row.noise_cutoff = float(stats.noise_cutoff)
    stats_row.updated_at = now
    changed = [group for group in index.groups if group.changed]
    rows: dict[int, SignalGroup] = {}
    existing_ids = [g.key for g in changed if g.key > 0]
    if existing_ids:
        for row in session.scalars(select(SignalGroup).where(SignalGroup.id.in_(existing_ids))):
            rows[row.id] = row
    # New groups start from their first new member's time (refined below).
    placeholder = {
        key: report.at for report, key in reversed(list(zip(new_reports, keys, strict=True)))
    }
    for group in changed:
        if group.deleted:
            continue
        if group.key < 0:
            row = SignalGroup(
                incident_id=incident_id,
                feature_sum=b"",
                report_count=0,
                first_seen=placeholder.get(group.key, new_reports[0].at),
                last_seen=placeholder.get(group.key, new_reports[0].at),
                created_at=now,
            )
            session.add(row)
            rows[group.key] = row
        row = rows[group.key]
        row.feature_sum = _to_bytes(group.total)
        row.report_count = group.count
        row.updated_at = now
    session.flush()
    by_target: dict[int, list[int]] = defaultdict(list)
    for report_id, key in moved.items():
        by_target[rows[key].id].append(report_id)
    for target, report_ids in by_target.items():
        session.execute(
            update(CustomerReport)
            .where(CustomerReport.id.in_(report_ids))
            .values(group_id=target)
            .execution_options(synchronize_session=False)
        )
    for report, key in zip(new_reports, keys, strict=True):
        report.group_id = rows[key].id
    session.add_all(new_reports)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "another request added reports with the same external_id at the same time: "
            "retry this batch (retries are idempotent)"
        ) from exc
    gone = [group.key for group in changed if group.deleted and group.key > 0]
    if gone:
        session.execute(delete(SignalGroup).where(SignalGroup.id.in_(gone)))
    rows_by_id = {row.id: row for row in rows.values()}
    if moved or gone:
        # After a re-grouping: first/last seen of every changed group from its members.
        live_ids = [rows[group.key].id for group in changed if not group.deleted]
        for group_id, first, last in session.execute(
            select(
                CustomerReport.group_id, func.min(CustomerReport.at), func.max(CustomerReport.at)
            )
            .where(CustomerReport.group_id.in_(live_ids))
            .group_by(CustomerReport.group_id)
        ):
            rows_by_id[group_id].first_seen = first
            rows_by_id[group_id].last_seen = last
    else:
        # Only joins and new groups: widen each group's span by its new reports.
        for report in new_reports:
            row = rows_by_id[report.group_id]
            row.first_seen = min(row.first_seen, report.at)
            row.last_seen = max(row.last_seen, report.at)
    # Moved reports must not be read back with their old group from the identity map.
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, CustomerReport) and loaded.id in moved:
            session.expire(loaded, ["group_id"])
    session.flush()


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
    stats_row = _load_stats(session, incident_id)
    signals = []
    for group in groups:
        total = _from_bytes(group.feature_sum)
        stats = _stats_of(stats_row, total.shape[0])
        centroid = project(
            total, stats, DEFAULT_PARAMETERS, counts=np.array([group.report_count], float)
        )[0]
        label, examples = _label_and_examples(session, group.id, centroid, stats, customers_all)
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
                covered=_covered(total, stats, sentence_features, embedder is not None),
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
    session: Session,
    group_id: int,
    centroid: Vector,
    stats: IncidentStats,
    customers: Sequence[str],
) -> tuple[str, list[str]]:
    """Label: the most central of the newest members, shortened; examples: the most central 3."""
    rows = session.execute(
        select(CustomerReport.text, CustomerReport.feature)
        .where(CustomerReport.group_id == group_id)
        .order_by(CustomerReport.id.desc())
        .limit(LABEL_CANDIDATES)
    ).all()
    projected = project(
        np.stack([_from_bytes(row.feature) for row in rows]), stats, DEFAULT_PARAMETERS
    )
    similarity = projected @ centroid
    order = sorted(range(len(rows)), key=lambda i: float(similarity[i]), reverse=True)
    scored = [rows[i] for i in order]
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
    """Raw features of the message's sentences (embedding part zero without the embedder)."""
    if not texts:
        return None
    if embedder is None:
        return raw_features(texts, np.zeros((len(texts), 1), dtype=np.float32))
    return raw_features(texts, embedder.embed(texts))


def _covered(
    total: Vector, stats: IncidentStats, sentences: Vector | None, with_embeddings: bool
) -> bool:
    if sentences is None:
        return False
    if with_embeddings and sentences.shape[1] == total.shape[0]:
        dimensions = embedding_dimensions(total.shape[0])
        mean = total[:dimensions]
        mean = mean / max(float(np.linalg.norm(mean)), 1e-12)
        return bool(np.max(sentences[:, :dimensions] @ mean) >= COVERED_THRESHOLD)
    idf = stats.idf() if stats.count else np.ones(TERM_BUCKETS, dtype=np.float32)
    group_terms = total[embedding_dimensions(total.shape[0]) : -1] * idf
    norm = float(np.linalg.norm(group_terms))
    if norm == 0:
        return False
    terms = sentences[:, embedding_dimensions(sentences.shape[1]) : -1] * idf
    terms /= np.maximum(np.linalg.norm(terms, axis=1, keepdims=True), 1e-12)
    return bool(np.max(terms @ (group_terms / norm)) >= COVERED_TERMS_THRESHOLD)


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
