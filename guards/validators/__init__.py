"""Liaison's guardrails validators, one per guard category."""

from guards.validators.base import LiaisonValidator
from guards.validators.eta import NoEta
from guards.validators.internal_detail import NoInternalDetail
from guards.validators.length import CHANNEL_LIMITS, ChannelLength
from guards.validators.missing_impact import HasImpact
from guards.validators.missing_status import HasStatus
from guards.validators.pii import NoPii
from guards.validators.placeholder import NoPlaceholder
from guards.validators.speculation import NoSpeculation
from guards.validators.ungrounded import Grounded

VALIDATORS_BY_CATEGORY: dict[str, type[LiaisonValidator]] = {
    "eta": NoEta,
    "speculation": NoSpeculation,
    "internal_detail": NoInternalDetail,
    "pii": NoPii,
    "length": ChannelLength,
    "missing_status": HasStatus,
    "missing_impact": HasImpact,
    "ungrounded": Grounded,
    "placeholder": NoPlaceholder,
}

__all__ = [
    "CHANNEL_LIMITS",
    "VALIDATORS_BY_CATEGORY",
    "ChannelLength",
    "Grounded",
    "HasImpact",
    "HasStatus",
    "LiaisonValidator",
    "NoEta",
    "NoInternalDetail",
    "NoPii",
    "NoPlaceholder",
    "NoSpeculation",
]
