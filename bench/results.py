"""
bench/RESULTS.md from the outputs of `make proof`: every `name: value` line the benches
printed, and the closing line of each pytest run, each against its target.

    .venv/bin/python bench/results.py var/proof > bench/RESULTS.md

Reads <folder>/<part>.out (stdout of each part: load, scaleout, faults, attack, fuzz,
browser), and <folder>/NOTE.md if there is one, copied in as it is. A pytest closing
line ("12 passed, 1 failed in 3.2s") becomes <part>_passed, <part>_failed and
<part>_errors. Exits 1 when a figure misses its target or a part printed nothing, so
that `make proof` fails with it.
"""

import operator
import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

FIGURE = re.compile(r"^([a-z][a-z0-9_]*): (\S+)\s*$")
PYTEST = re.compile(r"^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s")
COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|deselected)")

# (pattern, operator, bound, how it reads): the first pattern a figure matches is its target.
TARGETS: list[tuple[str, str, float, str]] = [
    (r"load_before_.*", "", 0, ""),
    (r"load_.*_p95_ms", "<", 150, "< 150 ms"),
    (r"load_errors", "==", 0, "0"),
    (r"scaleout_gain", ">", 1.0, "> 1 (two instances serve more)"),
    (r"scaleout_(sms_duplicates|sms_lost|double_handouts|lost_checkins)", "==", 0, "0"),
    (r"fault_.*_(lost|doubled|other_errors)", "==", 0, "0"),
    (r"fault_postgres_pages_503", ">", 0, "> 0 (the 503 page was seen)"),
    (r"fault_postgres_recovery_seconds", "in", 30, "0 to 30 s, no restart"),
    (r".*_(failed|errors)", "==", 0, "0"),
    (r".*_passed", ">", 0, "> 0"),
]
OPERATORS = {"<": operator.lt, ">": operator.gt, "==": operator.eq}


def figures(text: str, part: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.splitlines():
        if match := FIGURE.match(line):
            found[match[1]] = match[2]
        elif match := PYTEST.match(line):
            counts = {kind.rstrip("s"): int(n) for n, kind in COUNT.findall(match[1])}
            found[f"{part}_passed"] = str(counts.get("passed", 0))
            found[f"{part}_failed"] = str(counts.get("failed", 0))
            found[f"{part}_errors"] = str(counts.get("error", 0))
    return found


def verdict(name: str, value: str) -> tuple[str, bool]:
    """(the target as read, met) for a figure; ("", True) when it has none."""
    for pattern, op, bound, reads in TARGETS:
        if not re.fullmatch(pattern, name):
            continue
        if not op:
            return "", True
        try:
            number = float(value)
        except ValueError:
            return reads, False
        met = 0 <= number <= bound if op == "in" else OPERATORS[op](number, bound)
        return reads, met
    return "", True


def machine() -> list[str]:
    cpu = ""
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    one, five, fifteen = os.getloadavg()
    return [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} CPUs ({cpu or platform.machine()}), Python "
        f"{platform.python_version()}",
        f"- Load average when this was written: {one:.2f}, {five:.2f}, {fifteen:.2f} "
        "(1, 5, 15 min); each part's `load_before_<part>` is the 1-minute average as it started",
    ]


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "var/proof")
    parts = sorted(folder.glob("*.out"))
    lines = ["# Proof results", "", "Written by `make proof` (bench/results.py).", ""]
    lines += machine()
    lines += [
        "",
        "The machine's 2 CPUs are shared with other work: latency and throughput move with",
        "the load average above; lost, doubled, errors and the tests do not.",
        "",
    ]
    if (note := folder / "NOTE.md").exists():  # how this run went, when it needs saying
        lines += [note.read_text().strip(), ""]
    missed = []
    for part in parts:
        found = figures(part.read_text(errors="replace"), part.stem)
        lines += [f"## {part.stem}", "", "| figure | value | target | met |", "|---|---|---|---|"]
        if not found:
            missed.append(f"{part.stem}: printed nothing")
        for name, value in found.items():
            reads, met = verdict(name, value)
            mark = ("yes" if met else "**no**") if reads else ""
            lines.append(f"| {name} | {value} | {reads} | {mark} |")
            if not met:
                missed.append(f"{name} = {value} (target {reads})")
        lines.append("")
    lines += ["## Missed", ""] + ([f"- {m}" for m in missed] or ["Nothing."])
    print("\n".join(lines))
    for problem in missed:
        print(f"missed: {problem}", file=sys.stderr)
    return 1 if missed or not parts else 0


if __name__ == "__main__":
    sys.exit(main())
