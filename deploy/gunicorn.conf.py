"""gunicorn settings for fieldapp behind nginx: one sync worker per CPU."""

import multiprocessing
import os

# Under systemd gunicorn serves the socket fieldapp-web.socket holds, and this is ignored;
# in a container (compose.yaml, k8s/) GUNICORN_BIND=0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One per CPU: a check-in is mostly Python, so more workers than CPUs only queue for the
# CPU. On 2 vCPUs with check-ins arriving at 50/s (bench/README.md, open loop), 2 workers
# gave a lower p95 than 4 in every pair of runs. A slow page (a card sheet as PDF) holds
# its worker meanwhile: GUNICORN_WORKERS raises the count where that matters more.
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count())))
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
