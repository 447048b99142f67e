"""
`make prod-check`: what must hold before deploying, in one command.

1. `manage.py check --deploy` with the production settings (DEBUG=0; the environment's
   secrets and hosts when set, sample ones otherwise: this checks the settings, and the
   real key is checked against the database at every start anyway);
2. `nginx -t` on the shipped nginx config (deploy/nginx/fieldapp.conf, ports and paths
   moved by deploy/nginx_render.py) and on the Kubernetes web pod's nginx config;
3. the Compose file and the Kubernetes overlays against their schemas (deploy/validate.py).
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import validate  # noqa: E402
from deploy.nginx_render import Layout, main_config, nginx_test, render  # noqa: E402

SAMPLE = {
    "SECRET_KEY": "sample-production-secret-key-for-the-settings-check-only-0123456789",
    # The demo key: a development database's notes (and key canary) are under it.
    "FIELD_ENCRYPTION_KEY": "ZGVtby1vbmx5LWtleS1kby1ub3QtdXNlLWluLXByb2Q=",
    "ALLOWED_HOSTS": "fieldapp.example.org",
}
SIDECAR = ROOT / "deploy" / "k8s" / "base" / "nginx-sidecar.conf"


def deploy_check() -> bool:
    environment = {**SAMPLE, **os.environ, "DEBUG": "0"}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    print(f"check --deploy: {result.stdout.strip() or result.stderr.strip()}")
    return result.returncode == 0


def nginx_checks() -> bool:
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        layout = Layout(
            run_dir=base / "run",
            http_port=8080,
            https_port=8443,
            upstream="127.0.0.1:8000",
            srv_dir=base / "srv",
            cert_dir=base / "certs",
        )
        shipped = render(layout)
        sidecar = base / "run" / "sidecar.conf"
        sidecar.write_text(main_config(SIDECAR.read_text(), layout))
        for label, conf in (("deploy/nginx/fieldapp.conf", shipped), ("k8s sidecar", sidecar)):
            result = nginx_test(conf)
            passed = result.returncode == 0
            print(f"nginx -t {label}: {'ok' if passed else result.stderr.strip()}")
            ok = ok and passed
    return ok


def main() -> int:
    results = [deploy_check(), nginx_checks(), validate.main() == 0]
    print("prod-check: " + ("ok" if all(results) else "FAILED"))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
