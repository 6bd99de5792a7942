from pathlib import Path

import pytest

from tutela.errors import ConfigError
from tutela.settings import DEFAULT_MODEL, Settings


def test_defaults(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path)
    assert settings.home == tmp_path
    assert settings.backend == "torch"
    assert settings.model == DEFAULT_MODEL
    assert settings.max_tokens == 256


def test_priority_arguments_over_environment_over_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.yaml").write_text("max_tokens: 11\ntemperature: 0.5\nseed: 3\n")
    monkeypatch.setenv("TUTELA_TEMPERATURE", "0.7")
    monkeypatch.setenv("TUTELA_SEED", "4")
    settings = Settings.load(tmp_path, seed=5)
    assert settings.max_tokens == 11  # YAML
    assert settings.temperature == 0.7  # environment beats YAML
    assert settings.seed == 5  # argument beats environment


def test_home_and_config_file_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "elsewhere.yaml"
    config.write_text("backend: openai\nopenai_base_url: http://127.0.0.1:9/v1\n")
    monkeypatch.setenv("TUTELA_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("TUTELA_CONFIG", str(config))
    settings = Settings.load()
    assert settings.home == tmp_path / "h"
    assert settings.backend == "openai"


def test_model_cache_defaults_under_home(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("TUTELA_MODEL_CACHE")
    assert Settings.load(tmp_path).model_cache_dir == tmp_path / "models"


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("colour: blue\n", "colour: is not a known setting"),
        ("backend: tensorflow\n", "backend"),
        ("max_tokens: 0\n", "max_tokens"),
        ("- a list\n", "must hold a mapping"),
        ("backend: [unclosed\n", "cannot read settings file"),
    ],
)
def test_bad_yaml_is_a_config_error(tmp_path: Path, yaml_text: str, message: str) -> None:
    (tmp_path / "config.yaml").write_text(yaml_text)
    with pytest.raises(ConfigError, match=message):
        Settings.load(tmp_path)


def test_bad_environment_value_names_the_setting(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TUTELA_BACKEND", "nonsense")
    with pytest.raises(ConfigError, match="backend"):
        Settings.load(tmp_path)


def test_named_config_file_must_exist(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TUTELA_CONFIG", str(tmp_path / "missing.yaml"))
    with pytest.raises(ConfigError, match="does not exist"):
        Settings.load(tmp_path)


def test_api_key_is_not_shown(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path, openai_api_key="sk-very-secret")
    assert "sk-very-secret" not in repr(settings)


@pytest.mark.parametrize("name", ["TUTELA_HOME", "TUTELA_CONFIG"])
def test_empty_location_is_refused(tmp_path: Path, monkeypatch, name: str) -> None:
    monkeypatch.setenv(name, "")
    with pytest.raises(ConfigError, match=f"{name} is empty"):
        Settings.load()


@pytest.mark.parametrize("key", ["home", "config"])
def test_locations_cannot_come_from_the_yaml_file(tmp_path: Path, key: str) -> None:
    (tmp_path / "config.yaml").write_text(f"{key}: /somewhere/else\n")
    with pytest.raises(ConfigError, match=f"TUTELA_{key.upper()}"):
        Settings.load(tmp_path)
