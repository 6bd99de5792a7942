"""Access control: default-deny policies (Cedar), purposes of use, roles, break-glass grants
and document permissions. See docs/access.md."""
