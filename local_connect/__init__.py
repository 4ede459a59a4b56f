"""The local twin of the JAM contact center's AWS side.

It runs the same flow files and the same Lambda and API code as AWS, reading the contact center's
definitions (hours, queues, routing profiles, functions) from ``sam/template.yaml``.
"""
