"""Retrieval: governed ingestion and permission-aware hybrid search on Chroma."""
