"""Postcode, LSOA, ward, LAD and GP practice lookup (vectorised; see table and resolve).

Django-free modules: ``frames`` (the input frames), ``files`` (frames from the shipped
files), ``table`` (``build_lookup_table``) and ``resolve``. With Django: ``db`` (frames
from the database) and ``cache`` (``get_lookup_table``: built once per process, rebuilt
when reference data is re-imported).
"""
