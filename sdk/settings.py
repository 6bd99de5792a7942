"""One settings object for all of Tutela.

Values come, highest priority first, from keyword arguments, `TUTELA_*` environment variables,
a YAML file (`TUTELA_CONFIG`, else `<home>/config.yaml` when it exists) and the defaults below.
No other module reads environment variables.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from tutela.errors import ConfigError

DEFAULT_MODEL = "smollm2-135m-instruct"
BackendName = Literal["torch", "openai", "llamacpp"]

_yaml_values: ContextVar[dict[str, Any] | None] = ContextVar("tutela_yaml_values", default=None)


class _YamlSource(PydanticBaseSettingsSource):
    """Values read from the YAML file by `Settings.load`, below the environment in priority."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return (_yaml_values.get() or {}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_yaml_values.get() or {})


class _Locations(BaseSettings):
    """Where the data directory and the YAML file are, read before everything else."""

    model_config = SettingsConfigDict(env_prefix="TUTELA_", extra="ignore")
    home: str | None = None
    config: str | None = None


class Settings(BaseSettings):
    """Tutela's configuration. See docs/configuration.md for every field."""

    model_config = SettingsConfigDict(env_prefix="TUTELA_", extra="forbid", frozen=True)

    home: Path = Field(default=Path.home() / ".tutela", description="data directory")
    config: Path | None = Field(default=None, description="YAML settings file")

    backend: BackendName = "torch"
    model: str = Field(
        default=DEFAULT_MODEL,
        description=f"'{DEFAULT_MODEL}' (embedded GGUF), a Hugging Face folder or a .gguf file",
    )
    model_cache: Path | None = Field(default=None, description="converted weights; <home>/models")
    torch_dtype: Literal["bfloat16", "float32"] = "bfloat16"
    threads: int | None = Field(
        default=None, ge=1, description="CPU threads of local backends; default: all cores"
    )

    openai_base_url: str | None = Field(default=None, description="e.g. http://127.0.0.1:8000/v1")
    openai_api_key: SecretStr | None = None
    openai_model: str | None = Field(default=None, description="model name the server expects")
    openai_timeout: float = Field(default=120.0, gt=0)

    embedding_model: str | None = Field(default=None, description="folder; default: packaged")
    retrieval_url: str | None = Field(
        default=None,
        description="Chroma server (http://host:port, `chroma run`); default: embedded in home",
    )
    retrieval_top_k: int = Field(
        default=4, ge=0, le=50, description="chunks a call retrieves; 0 turns retrieval off"
    )

    master_secret: SecretStr | None = Field(default=None, description="opens the keystore")
    master_secret_file: Path = Field(
        default=Path.home() / ".config" / "tutela" / "master.key",
        description="key file used when master_secret is unset; keep it outside home",
    )
    cipher: Literal["AES-256-GCM", "AES-256-GCM-SIV"] = "AES-256-GCM"
    key_cache_seconds: float = Field(
        default=60.0, ge=0, description="how long a process keeps an unwrapped data key"
    )

    pii_profile: str = Field(
        default="default",
        description="PII profile: default, hipaa-safe-harbor, pci, ferpa or gdpr",
    )
    pii_allow: list[str] = Field(
        default_factory=list, description="values never treated as personal data"
    )
    vault_ttl_days: float = Field(
        default=30.0, gt=0, description="days a pseudonym mapping lives after its last use"
    )

    default_purpose: str = Field(
        default="GENERAL",
        pattern=r"^[A-Z][A-Z0-9_]{1,31}$",
        description="purpose of use of calls made without a named principal",
    )
    policy_packs: list[Path] = Field(
        default_factory=list, description="extra policy pack folders, loaded after the built-in"
    )
    audit_dsn: SecretStr | None = Field(
        default=None, description="PostgreSQL DSN for the audit log; default: SQLite in home"
    )
    audit_origin: str = Field(
        default="tutela",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$",
        description="the audit log's name in its signed checkpoints",
    )
    audit_checkpoint_every: int = Field(default=1000, ge=1, description="records per checkpoint")
    audit_checkpoint_seconds: float = Field(
        default=300.0, gt=0, description="most seconds between checkpoints"
    )
    audit_on_failure: Literal["refuse", "buffer"] = Field(
        default="refuse",
        description="when a record cannot be written: refuse the call, or buffer the record "
        "and alert",
    )
    audit_retention_days: dict[str, int] = Field(
        default_factory=dict,
        description="days each record class keeps its content (access, security, operations); "
        "never below the regulatory floors",
    )
    max_tokens: int = Field(default=256, ge=1)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    seed: int | None = None

    @field_validator("home", "model_cache", "config", "master_secret_file", mode="before")
    @classmethod
    def _not_blank(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise ValueError("must not be empty: unset it to use the default")
        return value

    @field_validator("home", "model_cache", "config", "master_secret_file", mode="after")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _YamlSource(settings_cls))

    @classmethod
    def load(cls, home: str | Path | None = None, **overrides: Any) -> Settings:
        """Read settings from arguments, environment and the YAML file, and validate them."""
        where = _Locations()
        for name, value in (("TUTELA_HOME", where.home), ("TUTELA_CONFIG", where.config)):
            if value is not None and not value.strip():
                raise ConfigError(f"{name} is empty: set it to a path or unset it")
        home_path = Path(home or where.home or Path.home() / ".tutela").expanduser()
        config = overrides.get("config") or where.config
        yaml_file = Path(config).expanduser() if config else home_path / "config.yaml"
        values = _read_yaml(yaml_file, required=config is not None)
        token = _yaml_values.set(values)
        try:
            return cls(home=home_path, **{k: v for k, v in overrides.items() if v is not None})
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from None
        except SettingsError as exc:
            # A list or mapping setting given in the environment must be JSON.
            raise ConfigError(
                f"{exc}: write list and mapping settings in the environment as JSON, e.g. "
                "TUTELA_POLICY_PACKS='[\"/etc/tutela/packs/ours\"]'"
            ) from None
        finally:
            _yaml_values.reset(token)

    @property
    def model_cache_dir(self) -> Path:
        return self.model_cache or self.home / "models"

    @property
    def keys_dir(self) -> Path:
        return self.home / "keys"

    @property
    def vault_file(self) -> Path:
        return self.home / "vault" / "pseudonyms.db"

    @property
    def audit_file(self) -> Path:
        return self.home / "audit" / "audit.db"

    @property
    def audit_spool_file(self) -> Path:
        return self.home / "audit" / "spool.jsonl"

    @property
    def retrieval_dir(self) -> Path:
        """The embedded vector store (`chroma/`), the catalog and ingestion reports."""
        return self.home / "retrieval"

    @property
    def access_file(self) -> Path:
        """Users, roles and break-glass grants."""
        return self.home / "access" / "access.db"


def _read_yaml(path: Path, *, required: bool) -> dict[str, Any]:
    if not path.exists():
        if required:
            raise ConfigError(
                f"settings file {path} does not exist: create it or unset TUTELA_CONFIG"
            )
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"cannot read settings file {path} ({type(exc).__name__}): fix or remove it"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"settings file {path} must hold a mapping of setting names to values")
    for located in ("home", "config"):
        if located in data:
            raise ConfigError(
                f"settings file {path} sets {located!r}, which must be known before the file is "
                f"read: use TUTELA_{located.upper()} or the --home option instead"
            )
    return data


def _describe(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or "settings"
        message = "is not a known setting" if err["type"] == "extra_forbidden" else err["msg"]
        problems.append(f"{name}: {message}")
    return "invalid settings (" + "; ".join(problems) + "): see docs/configuration.md"
