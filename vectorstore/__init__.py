"""Loading, cleaning, chunking, embedding and storing news articles in Chroma.

This package knows nothing about answering questions; `qa` builds on it, never the reverse.
"""
