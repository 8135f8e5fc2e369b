"""The `statuspage` sink: Atlassian Statuspage REST API v1 incidents."""

from typing import Any, ClassVar

import httpx

from app.config import Settings
from app.publishing.sinks.base import Delivery, SinkError

# Our incident statuses are Statuspage's incident statuses; anything else reads as investigating.
STATUS_MAP = {
    "investigating": "investigating",
    "identified": "identified",
    "monitoring": "monitoring",
    "resolved": "resolved",
}


class StatuspageSink:
    """Creates a Statuspage incident on an incident's first publication, then updates it.

    Only drafts of the `statuspage` channel go here. The remote incident id is returned and
    stored as the publication's `remote_id`, so later publications PATCH the same incident.
    Statuspage has no idempotency keys: a crash after its answer but before the worker records
    it repeats the POST or PATCH (a PATCH repeats harmlessly; see docs/approvals.md).
    """

    name: ClassVar[str] = "statuspage"
    channels: ClassVar[frozenset[str] | None] = frozenset({"statuspage"})
    needs_remote_incident_id: ClassVar[bool] = True

    def __init__(self, settings: Settings) -> None:
        if not settings.statuspage_page_id or settings.statuspage_api_key is None:
            raise ValueError(
                "the statuspage sink needs LIAISON_STATUSPAGE_PAGE_ID and "
                "LIAISON_STATUSPAGE_API_KEY"
            )
        base = settings.statuspage_base_url.rstrip("/")
        self.incidents_url = f"{base}/v1/pages/{settings.statuspage_page_id}/incidents"
        self._client = httpx.Client(
            timeout=settings.publish_timeout_seconds,
            headers={"Authorization": f"OAuth {settings.statuspage_api_key.get_secret_value()}"},
        )

    def deliver(self, delivery: Delivery) -> str | None:
        status = STATUS_MAP.get(delivery.incident_status, "investigating")
        incident: dict[str, Any] = {"status": status, "body": delivery.text}
        try:
            if delivery.remote_incident_id is None:
                incident["name"] = delivery.incident_title
                response = self._client.post(self.incidents_url, json={"incident": incident})
            else:
                response = self._client.patch(
                    f"{self.incidents_url}/{delivery.remote_incident_id}",
                    json={"incident": incident},
                )
        except httpx.HTTPError as exc:
            raise SinkError(f"statuspage unreachable: {type(exc).__name__}") from exc
        if not response.is_success:
            raise SinkError(f"statuspage answered {response.status_code}: {response.text[:200]}")
        try:
            remote_id = response.json()["id"]
        except (ValueError, KeyError, TypeError) as exc:
            raise SinkError("statuspage answered without an incident id") from exc
        return str(remote_id)

    def sync(self) -> None:
        return None

    def close(self) -> None:
        self._client.close()
