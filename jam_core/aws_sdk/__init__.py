"""AWS SDK helpers: a slice of botocore's data, per-container clients, the Connect client.

Not data access: the tables (jam_core.tables) and the hours read (jam_core.schedule) use these.
"""
