"""Hours of operation arithmetic shared by the API (api/jam_api/hours) and the hours_status Lambda.

Standard library only (zoneinfo), so the API's build can copy this package next to jam_api
(sam/build/Makefile) and the Connect Lambdas can import it from their own CodeUri: one source of the
open/closed rules for the website and the IVR.
"""
