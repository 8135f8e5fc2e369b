"""Liaison: guarded, IC-approved customer messages during incidents."""

from app.offline import apply_offline_defaults

apply_offline_defaults()
