"""Chat command and interactive approve/edit/reject (Slack-compatible)."""
