"""People beyond secondment (issue 15): village two-committee members, three-level training, postings of
every kind, township offices and their staff, township leadership teams.

Kept apart from ``staffing.models``/``services``/``admin`` (which hold the secondment workflow and its
three powers); ``staffing.models`` imports the model classes at its end so the app registry sees them.
"""
