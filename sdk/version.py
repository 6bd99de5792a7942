"""The installed SDK's version, as packaged (pyproject.toml)."""

from importlib.metadata import version

__version__ = version("tutela")
