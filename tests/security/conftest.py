def pytest_terminal_summary(terminalreporter):
    """Show the figures the security tests recorded (works under xdist too)."""
    lines = [
        value
        for report in terminalreporter.stats.get("passed", [])
        + terminalreporter.stats.get("failed", [])
        for name, value in getattr(report, "user_properties", ())
        if name == "security_figure"
    ]
    if lines:
        terminalreporter.section("security figures")
        for line in lines:
            terminalreporter.write_line(line)
