"""Tutela: governed LLM assistants for regulated domains.

from tutela import Tutela
with Tutela.open() as tutela:
    print(tutela.ask("What is diversification?").text)
"""

from tutela.offline import enforce_offline

enforce_offline()

from tutela.answer import Answer, SearchHit, SearchResult, TokenUsage  # noqa: E402
from tutela.api import AnswerStream, Tutela  # noqa: E402
from tutela.pipeline.call import Citation  # noqa: E402
from tutela.principal import Principal  # noqa: E402
from tutela.settings import Settings  # noqa: E402
from tutela.version import __version__  # noqa: E402

__all__ = [
    "Answer",
    "AnswerStream",
    "Citation",
    "Principal",
    "SearchHit",
    "SearchResult",
    "Settings",
    "TokenUsage",
    "Tutela",
    "__version__",
]
