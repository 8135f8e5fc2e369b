"""Drafting: transcript -> fact sheet -> guarded customer message held for approval."""
