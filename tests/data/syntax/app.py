"""Module docstring: import os is prose here.

from flask import Flask
"""
from __future__ import annotations

import os, sys as system
from . import views, models as m
from ..core.config import (
    settings,
    Settings,
)
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .types import Thing


@app.get("/items/{item_id}")
@login_required
def read_item(item_id: int, q=None):
    """Reads an item."""
    if q and item_id > 0:
        logger.info(f"token={token}", extra=user.password)
    return [i for i in range(item_id) if i]


class Handler:
    def handle(self, x):
        try:
            pass
        except ValueError:
            raise ValueError("DB_PASSWORD is undefined")
        finally:
            pass

    def outer(self):
        def inner(b):
            return b or None
        return inner
