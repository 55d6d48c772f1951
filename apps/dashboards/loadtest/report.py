"""Read wrk's and gunicorn's output and print the load-test table (no Django, no timing)."""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

# What `make loadtest` must show (issue 18): one page alone, the mix, the mix during matching.
PAGE_TARGET = {"rps": 150.0, "p95_ms": 250.0}
MIX_TARGET = {"rps": 250.0, "p95_ms": 150.0}
MATCHING_MIX_P95_MS = 300.0
# gunicorn --access-logformat: status, microseconds spent, request line.
ACCESS_LOG_FORMAT = "%(s)s %(D)s %(r)s"


@dataclass(frozen=True)
class PlanEntry:
    """One weighted request of a run: a label for the table, the path and the session cookie."""

    weight: int
    label: str
    path: str
    cookie: str = ""

    def line(self) -> str:
        return f"{self.weight}\t{self.label}\t{self.path}\t{self.cookie}"


@dataclass(frozen=True)
class WrkResult:
    """What wrk measured on the client side for one run."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    socket_errors: int
    status_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class ServerStats:
    """What gunicorn's access log says about one page: responses, failures, time spent."""

    micros: list[int] = field(default_factory=list)
    failures: int = 0

    def percentile_ms(self, share: float) -> float | None:
        return percentile(self.micros, share) / 1000 if self.micros else None


@dataclass(frozen=True)
class Row:
    """One line of the printed table."""

    label: str
    requests: int
    rps: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    errors: int
    server_p50_ms: float | None
    server_p95_ms: float | None
    verdict: str = ""


def plan_text(entries: Iterable[PlanEntry]) -> str:
    """Return the plan file the wrk script reads."""
    return "".join(f"{entry.line()}\n" for entry in entries)


def parse_wrk(output: str) -> WrkResult:
    """Read the summary line the wrk script's done() prints; ValueError when it is missing."""
    for line in output.splitlines():
        if line.startswith("LOADTEST "):
            data = json.loads(line.removeprefix("LOADTEST "))
            break
    else:
        raise ValueError(f"wrk printed no LOADTEST summary:\n{output}")
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1_000_000,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        status_errors=data["status"],
    )


def percentile(values: list[int], share: float) -> float:
    """Nearest-rank percentile (share in 0–100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return float(ordered[rank - 1])


def parse_access_log(lines: Iterable[str], labels: dict[str, str]) -> dict[str, ServerStats]:
    """Group gunicorn access-log lines (ACCESS_LOG_FORMAT) by the plan label of their path.

    Anything but 200 counts as a failure: a redirect to the sign-in page means a session broke.
    """
    stats: dict[str, ServerStats] = {}
    for line in lines:
        parts = line.split()
        if len(parts) < 4 or not parts[0].isdigit() or not parts[1].isdigit():
            continue
        label = labels.get(parts[3], "other")
        entry = stats.setdefault(label, ServerStats())
        entry.micros.append(int(parts[1]))
        if parts[0] != "200":
            entry.failures += 1
    return stats


def page_row(label: str, result: WrkResult, server: ServerStats | None) -> Row:
    """Row for one page driven alone, judged against the per-page target."""
    errors = result.socket_errors + result.status_errors + (server.failures if server else 0)
    meets = (
        result.rps >= PAGE_TARGET["rps"] and result.p95_ms <= PAGE_TARGET["p95_ms"] and not errors
    )
    answered = result.requests > 0  # wrk reports 0 ms latencies when nothing came back
    return Row(
        label=label,
        requests=result.requests,
        rps=result.rps,
        p50_ms=result.p50_ms if answered else None,
        p95_ms=result.p95_ms if answered else None,
        p99_ms=result.p99_ms if answered else None,
        errors=errors,
        server_p50_ms=server.percentile_ms(50) if server else None,
        server_p95_ms=server.percentile_ms(95) if server else None,
        verdict="ok" if meets else "MISS",
    )


def mix_rows(
    result: WrkResult,
    server: dict[str, ServerStats],
    *,
    p95_limit_ms: float,
    min_rps: float | None = MIX_TARGET["rps"],
) -> list[Row]:
    """Rows for a mixed run: one per page from the server's log, then the whole mix.

    ``min_rps``: None during a matching run, whose target is the p95 alone (issue 18).
    """
    rows = [
        Row(
            label=f"  {label}",
            requests=len(stats.micros),
            rps=len(stats.micros) / result.seconds if result.seconds else 0.0,
            p50_ms=None,
            p95_ms=None,
            p99_ms=None,
            errors=stats.failures,
            server_p50_ms=stats.percentile_ms(50),
            server_p95_ms=stats.percentile_ms(95),
        )
        for label, stats in sorted(server.items())
    ]
    failures = sum(stats.failures for stats in server.values())
    errors = result.socket_errors + result.status_errors + failures
    fast_enough = min_rps is None or result.rps >= min_rps
    meets = fast_enough and result.p95_ms <= p95_limit_ms and not errors
    answered = result.requests > 0
    rows.append(
        Row(
            label="mix (overall)",
            requests=result.requests,
            rps=result.rps,
            p50_ms=result.p50_ms if answered else None,
            p95_ms=result.p95_ms if answered else None,
            p99_ms=result.p99_ms if answered else None,
            errors=errors,
            server_p50_ms=None,
            server_p95_ms=None,
            verdict="ok" if meets else "MISS",
        )
    )
    return rows


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def format_table(rows: list[Row]) -> str:
    """Return the rows as a Markdown table (it pastes into an issue as it is)."""
    header = (
        "| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors "
        "| server p50 ms | server p95 ms | target |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for row in rows:
        lines.append(
            f"| {row.label} | {row.requests} | {row.rps:.0f} | {_number(row.p50_ms)} "
            f"| {_number(row.p95_ms)} | {_number(row.p99_ms)} | {row.errors} "
            f"| {_number(row.server_p50_ms)} | {_number(row.server_p95_ms)} | {row.verdict} |"
        )
    return "\n".join(lines)
