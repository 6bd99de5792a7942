"""`tutela init` and `tutela models`: set up a data directory and see what is installed."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from tutela.api import prepare_home
from tutela.cli.options import console, global_options
from tutela.embeddings import packaged_embedding_model
from tutela.errors import ModelError
from tutela.governance.keyring import KeyRing
from tutela.governance.master_secret import create_master_key_file
from tutela.runtime import backend_catalog
from tutela.runtime.weights import WeightCache, resolve_model
from tutela.settings import Settings

CONFIG_TEMPLATE = """\
# Tutela settings. Environment variables TUTELA_<NAME> override these values.
# Every setting is described in docs/configuration.md.
#
# backend: torch            # torch (default), openai or llamacpp
# model: smollm2-135m-instruct   # or a Hugging Face model folder, or a .gguf file
# torch_dtype: bfloat16
# max_tokens: 256
# pii_profile: default      # default, hipaa-safe-harbor, pci, ferpa or gdpr
# temperature: 0.0
# openai_base_url: http://127.0.0.1:8000/v1
"""


def init(ctx: typer.Context) -> None:
    """Create the data directory, a settings file and the keystore, and prepare the model."""
    settings = global_options(ctx).settings()
    set_up(settings)
    console.print(f'[green]Tutela is set up in {settings.home}[/]. Try: tutela ask "Hello"')


def set_up(settings: Settings) -> None:
    """What `tutela init` does; safe to run again (it keeps what exists)."""
    prepare_home(settings.home)
    created = create_master_key_file(settings)
    if created:
        console.print(
            f"Created a master key file at {created} (mode 0600, outside the data directory). "
            "Back it up: without it the keystore cannot be opened. In production use "
            "TUTELA_MASTER_SECRET from a secret manager or a KMS instead (docs/keys.md)."
        )
    KeyRing.open(settings, create=True).close()
    console.print(f"Keystore ready in {settings.keys_dir}")
    config = settings.config or settings.home / "config.yaml"
    if not config.exists():
        config.write_text(CONFIG_TEMPLATE, encoding="utf-8")
        console.print(f"Wrote a settings file to {config}")
    if settings.backend == "torch":
        source = resolve_model(settings.model)
        if source.kind == "gguf":
            folder = WeightCache(settings.model_cache_dir).ensure(source, settings.torch_dtype)
            console.print(f"Model {source.name} is ready in {folder}")


def models(ctx: typer.Context) -> None:
    """Show the installed backends and models, and which backend is active."""
    settings = global_options(ctx).settings()
    table = Table(title="Backends")
    for column in ("", "backend", "installed", "what", "needs"):
        table.add_column(column)
    for info in backend_catalog():
        active = "▶" if info.name == settings.backend else ""
        installed = "[green]yes[/]" if info.installed else "[red]no[/]"
        table.add_row(active, info.name, installed, info.description, escape(info.needs))
    console.print(table)

    models_table = Table(title="Models")
    for column in ("role", "model", "where", "state"):
        models_table.add_column(column)
    models_table.add_row("chat", *_chat_model_state(settings))
    models_table.add_row("embeddings", *_embedding_state(settings.embedding_model))
    if settings.backend == "openai":
        models_table.add_row(
            "chat (remote)",
            settings.openai_model or "first listed",
            settings.openai_base_url or "[red]TUTELA_OPENAI_BASE_URL unset[/]",
            "not contacted",
        )
    console.print(models_table)


def _chat_model_state(settings) -> tuple[str, str, str]:
    try:
        source = resolve_model(settings.model)
    except ModelError as exc:
        return settings.model, "-", f"[red]{escape(str(exc))}[/]"
    if source.kind == "hf":
        return source.name, str(source.path), "[green]Hugging Face folder[/]"
    cache = WeightCache(settings.model_cache_dir)
    folder = cache.folder(source, settings.torch_dtype)
    if cache.is_valid(folder):
        state = f"[green]converted, cached[/] ({folder})"
    elif folder.exists():
        state = "[yellow]cache damaged: rebuilt on next start[/]"
    else:
        state = "[yellow]not converted yet: run `tutela init`[/]"
    return source.name, str(source.path), state


def _embedding_state(configured: str | None) -> tuple[str, str, str]:
    try:
        path = configured or str(packaged_embedding_model())
    except ModelError as exc:
        return "all-MiniLM-L6-v2", "-", f"[red]{escape(str(exc))}[/]"
    return "all-MiniLM-L6-v2" if not configured else "custom", path, "[green]installed[/]"
