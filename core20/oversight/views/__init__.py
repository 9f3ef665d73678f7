"""Funding, quarterly returns and national oversight pages, one module per area. Each view
checks who may see or do what (core20.accounts.authorization), and the actions check again."""
