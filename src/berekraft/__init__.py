"""berekraft: municipal sustainability measurement with the U4SSC KPIs and the UN SDGs."""

__version__ = "0.1.0"
