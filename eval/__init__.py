"""Evaluation harness: gold questions, an independent citation-support checker, metrics and reports.

Deliberately independent of the answering engine: it scores `qa ask --json` responses and imports
nothing from `qa` except the user-facing error types, so an engine bug cannot hide in its own judge.
"""
