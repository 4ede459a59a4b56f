"""What every Connect-invoked Lambda shares: settings, event access, phone numbers, logs, responses.

Standard library only, so a cold start pays for nothing it does not use.
"""
