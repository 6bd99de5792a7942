"""Who is calling: a principal is a user or service of one tenant, with roles and attributes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tutela.errors import InputError

_NAME = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$"


class Principal(BaseModel):
    """A caller. Roles and groups are scoped to the tenant; attributes feed access policies."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_NAME, description="user or service id")
    tenant: str = Field(default="default", pattern=_NAME)
    roles: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()  # ACL groups, for document permissions
    attributes: dict[str, str] = Field(default_factory=dict)  # e.g. {"age_band": "minor"}

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            # The offending values are not repeated: principal ids can identify people.
            fields = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
            raise InputError(
                f"invalid principal ({', '.join(fields) or 'fields'}): ids and tenants are 1-128 "
                "letters, digits or ._@- and start with a letter or digit"
            ) from None

    @classmethod
    def local_admin(cls, tenant: str = "default") -> Principal:
        """The operator of a local installation, used when no principal is named."""
        return cls(id="local-admin", tenant=tenant, roles=frozenset({"admin"}))
