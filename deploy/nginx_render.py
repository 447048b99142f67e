"""
Run the shipped nginx config (deploy/nginx/fieldapp.conf) somewhere other than a server:
the same text with only its ports and paths changed, wrapped in a main nginx.conf that
keeps the pid, logs and temporary files in one folder, so an unprivileged test or
`make prod-check` can run `nginx -t` or nginx itself on loopback.

Used by tests/deploy/test_nginx.py and deploy/prod_check.py. No library renders nginx
configs; a template engine would put placeholders in the file operators edit, so this
replaces the production values themselves, and fails loudly when one is no longer there.
"""

import datetime
import os
import pwd
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "nginx" / "fieldapp.conf"
UPSTREAM = "127.0.0.1:8000"
SRV = "/srv/fieldapp"
CERTS = "/etc/letsencrypt/live/fieldapp.example.org"
LISTEN = re.compile(r"^(\s*)listen\s+(\[::\]:)?(80|443)\b([^;]*);", re.MULTILINE)
MIME_TYPES = Path("/etc/nginx/mime.types")


class ConfigChanged(Exception):
    """The shipped config lost a value this renderer replaces: update both together."""


@dataclass(frozen=True)
class Layout:
    """Where the rendered nginx listens and finds things, all on this machine."""

    run_dir: Path
    http_port: int
    https_port: int
    upstream: str
    srv_dir: Path
    cert_dir: Path


def site_config(text: str, layout: Layout) -> str:
    """The shipped server blocks with ports and paths moved; no IPv6 (loopback only)."""
    for needle in (UPSTREAM, SRV, CERTS):
        if needle not in text:
            raise ConfigChanged(f"{needle} is no longer in the nginx config")

    def listen(match: re.Match[str]) -> str:
        if match.group(2):
            return f"{match.group(1)}# (IPv6 listen left out here)"
        port = layout.https_port if match.group(3) == "443" else layout.http_port
        return f"{match.group(1)}listen 127.0.0.1:{port}{match.group(4)};"

    text, count = LISTEN.subn(listen, text)
    if count == 0:
        raise ConfigChanged("no listen 80/443 in the nginx config")
    text = text.replace(CERTS, str(layout.cert_dir))
    text = text.replace(SRV, str(layout.srv_dir))
    return text.replace(UPSTREAM, layout.upstream)


def main_config(site: str, layout: Layout) -> str:
    """A whole nginx.conf: what Debian's /etc/nginx/nginx.conf gives, kept in run_dir."""
    run = layout.run_dir
    # As root nginx's workers become "nobody", who cannot read a private temporary folder.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    temp_paths = "\n".join(
        f"    {kind}_temp_path {run / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    return f"""{user}
worker_processes 1;
pid {run / "nginx.pid"};
error_log {run / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log {run / "access.log"};
{temp_paths}
    uwsgi_temp_path {run / "uwsgi"};
    scgi_temp_path {run / "scgi"};
{site}
}}
"""


def self_signed_certificate(cert_dir: Path) -> None:
    """fullchain.pem and privkey.pem for localhost and 127.0.0.1, valid for a day."""
    from ipaddress import IPv4Address

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(IPv4Address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_dir.mkdir(parents=True, exist_ok=True)
    (cert_dir / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (cert_dir / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def render(layout: Layout, shipped: Path = SHIPPED) -> Path:
    """Write run_dir/nginx.conf (and a certificate when there is none); return its path."""
    layout.run_dir.mkdir(parents=True, exist_ok=True)
    if not (layout.cert_dir / "fullchain.pem").exists():
        self_signed_certificate(layout.cert_dir)
    (layout.srv_dir / "static").mkdir(parents=True, exist_ok=True)
    conf = layout.run_dir / "nginx.conf"
    conf.write_text(main_config(site_config(shipped.read_text(), layout), layout))
    return conf


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def nginx_test(conf: Path) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on a rendered config."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx is not installed: apt-get install nginx")
    return subprocess.run(  # noqa: S603
        [binary, "-t", "-c", str(conf), "-e", str(conf.parent / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
