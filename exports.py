"""Exports (being written): see init()."""
from __future__ import annotations

import flask


def init(server: flask.Flask) -> None:
    """Register the export routes."""
