"""Structured logs: one JSON object per line, ready for any log pipeline."""

from __future__ import annotations

from typing import Any


def logging_config(level: str, json_logs: bool) -> dict[str, Any]:
    formatter = {"()": "pythonjsonlogger.json.JsonFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                 "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}} if json_logs \
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"handlers": ["console"], "level": level},
        # bm25s sets its own logger to DEBUG on import; it speaks at the level the rest does.
        "loggers": {"bm25s": {"level": level}},
    }
