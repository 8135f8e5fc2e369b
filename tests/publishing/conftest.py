"""Publishing tests reuse the approval fixtures (drafts made through the ORM, the worker)."""

from tests.approvals.conftest import flow, make_draft, worker
from tests.fresh_database import shared_database_url

__all__ = ["flow", "make_draft", "shared_database_url", "worker"]
