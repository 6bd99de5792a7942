"""Domain adapters (finance, education, healthcare), one sub-package each.

Each adapter package exposes `DOMAIN` (a `tutela.domain.Domain`). The `general` domain is built
into the core and needs no adapter.
"""
