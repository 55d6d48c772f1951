"""Calendar arithmetic the policy needs (month limits are calendar months)."""

from datetime import date

from dateutil.relativedelta import relativedelta


def add_months(day: date, months: int) -> date:
    """Return the same day `months` calendar months later, clamped to the month's last day."""
    return day + relativedelta(months=months)
