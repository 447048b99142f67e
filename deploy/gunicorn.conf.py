"""gunicorn settings for fieldapp behind nginx. Two to four workers fit a small server."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(4, multiprocessing.cpu_count() * 2)))
# One thread per worker (gunicorn's sync worker): behind nginx, which buffers slow clients,
# it spreads requests evenly over the workers; on 2 cores the check-in benchmark gave the
# same throughput and a lower p95 than 2 threads, whose kept-alive connections pile up
# on some workers while others idle.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 20
# A worker is recycled after this many requests, against slow leaks. At 2,000 every worker
# restarted twice a minute under a busy queue, and the requests waiting on the restart
# were the check-in benchmark's slowest 5 %.
max_requests = 20000
# The app is imported once, in the master: a worker recycled after max_requests is forked
# ready in milliseconds instead of spending a second importing Django while requests wait.
preload_app = True
max_requests_jitter = 2000
accesslog = "-"
forwarded_allow_ips = "127.0.0.1"
