"""Test phones: the browser page (served at /local/phone) and the terminal phone."""
