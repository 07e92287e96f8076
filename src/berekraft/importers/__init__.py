"""Readers that turn what members have (workbooks, CSV, Open SDG CSV, JSON-stat, SSB) into one
ImportTable. See base.py for the contract and the registry."""
