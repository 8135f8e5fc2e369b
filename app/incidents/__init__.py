"""Incidents, their transcripts and status changes."""
