"""Answering engine: retrieve, select evidence, generate, verify, cite, abstain; plus the CLI and settings."""
