"""Service catalog: internal names (hosts, services, queues, people) -> public components."""
