"""Draft state machine: approve, edit, reject, supersede; staleness and guard overrides."""
