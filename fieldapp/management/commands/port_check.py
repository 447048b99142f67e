import errno
import socket
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def port_in_use(host: str, port: int) -> bool:
    """Whether a server could not listen there now (bound as runserver binds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return True
            raise
    return False


class Command(BaseCommand):
    help = "Exit 1 with one line saying what to do when the demo's port is already taken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("port", type=int)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        port, host = options["port"], options["host"]
        if port_in_use(host, port):
            self.stderr.write(
                f"Port {port} on {host} is already in use: stop what listens there, "
                f"or start the demo on another port, e.g. `make demo PORT={port + 1}`."
            )
            sys.exit(1)
