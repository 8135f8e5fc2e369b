"""Outbox of approved messages and the sinks that deliver them, exactly once per sink."""
