"""Append-only audit log of every mutating call."""
