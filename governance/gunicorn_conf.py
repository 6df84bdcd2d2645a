"""gunicorn settings: ``gunicorn -c python:governance.gunicorn_conf governance.wsgi`` (README).

Processes share nothing but PostgreSQL, Redis and the media storage (DESIGN.md §5), so as many
as the machine carries may run, on one host or several behind the load balancer.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers, two per core and one: the admin's requests wait on the database, not the CPU.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # a large import runs on Celery, not here
max_requests, max_requests_jitter = 2000, 200  # recycle workers now and then (memory)
accesslog = "-"  # to stderr, beside the application's log lines
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1")


def post_worker_init(worker):
    """The application is loaded: move its objects out of the garbage collector's way. Python's
    full collections otherwise walk them all every few dozen requests and that request waits:
    70–90 ms on the case lists, 17–23 ms once frozen (issue 12, bench/README.md)."""
    gc.freeze()
