"""Covert influence operations: find networks of accounts acting together, take them down, report them.

The engine (`detection.detect_networks`) is pure Python over DuckDB or Spark and needs no database;
the Django side keeps network cases for analysts, writes takedowns to the decision log, recognises
returning operators and publishes the quarterly covert-influence report.
"""
