"""``python manage.py generate_city``: a city at the scale of a real one, for measuring (issue 12).

``tree`` builds the units, posts, users and roles through the same models and services as the
demo; ``cases.generator`` writes the cases, assignments, steps and service requests in bulk
through ``writer``, with every relation and constraint as the services would leave them.
"""
