"""A real Celery worker process (prefork, one child) whose tasks can be held mid-run.

Run as `python -m tests.security.killable_worker FLAG_DIR`. While FLAG_DIR/hold exists, the
matching run's data load and the annual report's XLSX step stop and wait, after writing the
child's pid to FLAG_DIR/entered-<step>, so a test can SIGKILL the child at that point.
"""

import os
import sys
import time
from pathlib import Path

import django


def _held(step: str, real, flags: Path):
    def wrapper(*args, **kwargs):
        if (flags / "hold").exists():
            (flags / f"entered-{step}").write_text(str(os.getpid()))
            deadline = time.monotonic() + 60
            while (flags / "hold").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        return real(*args, **kwargs)

    return wrapper


def main() -> None:
    flags = Path(sys.argv[1])
    django.setup()
    from apps.matching import compute
    from apps.reports import services as report_services
    from hangzhou_waijiao.celery import app

    # Patched in the parent before the pool forks, so every child inherits the hold.
    compute.load_matching_data = _held("matching", compute.load_matching_data, flags)
    report_services.build_xlsx = _held("report", report_services.build_xlsx, flags)
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=" + os.environ.get("KILLABLE_LOGLEVEL", "WARNING"),
            "--without-gossip",
        ]
        + ["--without-mingle", "--without-heartbeat"]
    )


if __name__ == "__main__":
    main()
