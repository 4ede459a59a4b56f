"""Supervisor views: live queue metrics and the survey summary, for the `supervisor` group only."""
