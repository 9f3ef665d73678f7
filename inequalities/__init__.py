"""Health inequalities statistics, SPC, disclosure control and record-level profiles.

Framework-free: numpy, scipy, pandas and DuckDB only. The web app calls this package;
it never imports the web app (a ruff banned-api rule enforces this).
"""
