"""The vector store: Chroma, embedded (`PersistentClient`) or a server (`chroma run`) by URL.

One collection per tenant and domain, cosine space. Tutela always passes the embeddings, so
Chroma never loads or downloads a model; product telemetry is off. Stored documents are
sealed chunk text (base64); the metadata holds only what filtering needs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tutela.errors import ConfigError, RetrievalError

Metadata = Mapping[str, str | int | float | bool]


def collection_name(tenant: str, domain: str) -> str:
    """`tutela_<domain>_<16 hex of the tenant>`: Chroma's name rules, no tenant name shown."""
    digest = hashlib.blake2b(tenant.encode("utf-8"), digest_size=8).hexdigest()
    return f"tutela_{domain}_{digest}"


class VectorStore:
    """Connects on first use, so calls in domains without documents never load Chroma."""

    def __init__(self, path: Path | None = None, url: str | None = None) -> None:
        """An embedded store in folder `path`, or the Chroma server at `url`
        (http[s]://host:port)."""
        if url:
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise ConfigError(
                    f"invalid retrieval_url {url!r}: use http://host:port of a Chroma server"
                )
        elif path is None:
            raise ConfigError("the vector store needs a folder or a server URL")
        self.path = path
        self.url = url
        self.where = url or str(path)  # for messages
        self._client: Any = None
        self._collections: dict[str, Any] = {}

    def _connect(self) -> Any:
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            options = ChromaSettings(anonymized_telemetry=False)
            if self.url:
                parsed = urlparse(self.url)
                client = chromadb.HttpClient(
                    host=parsed.hostname or "",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=options,
                )
                client.heartbeat()
            else:
                assert self.path is not None
                self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
                client = chromadb.PersistentClient(path=str(self.path), settings=options)
            self._client = client
        return self._client

    def add(
        self,
        collection: str,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        documents: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        if not ids:
            return
        self._call(
            "write",
            lambda: self._collection(collection).add(
                ids=list(ids),
                embeddings=[list(e) for e in embeddings],
                documents=list(documents),
                metadatas=[dict(m) for m in metadatas],
            ),
        )

    def query(
        self, collection: str, embedding: Sequence[float], where: dict | None, n: int
    ) -> list[str]:
        """The ids of the `n` nearest chunks that match `where` (all, if None), nearest first.
        Only ids are read: reading metadata costs more than the search when `n` is large."""
        found = self._call(
            "query",
            lambda: self._collection(collection).query(
                query_embeddings=[list(embedding)], n_results=n, where=where, include=[]
            ),
        )
        return list(found["ids"][0])

    def get(self, collection: str, ids: Sequence[str]) -> dict[str, tuple[str, Metadata]]:
        if not ids:
            return {}
        found = self._call(
            "read",
            lambda: self._collection(collection).get(
                ids=list(ids), include=["documents", "metadatas"]
            ),
        )
        return {
            i: (d, m)
            for i, d, m in zip(found["ids"], found["documents"], found["metadatas"], strict=True)
        }

    def delete(self, collection: str, ids: Sequence[str]) -> None:
        if ids:
            self._call("delete", lambda: self._collection(collection).delete(ids=list(ids)))

    def count(self, collection: str) -> int:
        return self._call("count", lambda: self._collection(collection).count())

    def _collection(self, name: str):
        found = self._collections.get(name)
        if found is None:
            found = self._connect().get_or_create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
            self._collections[name] = found
        return found

    def _call(self, what: str, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except Exception as exc:
            raise RetrievalError(
                f"the vector store at {self.where} failed to {what} ({type(exc).__name__}): "
                "check that it is reachable and writable"
            ) from None
