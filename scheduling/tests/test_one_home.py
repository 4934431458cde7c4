"""A rule that has a home is not written out again elsewhere in the apps' code.

Issue 8 found "what is expected today" coded four times and the working-day test
``isoweekday() > 5`` repeated in attendance although ``scheduling/calendar.py`` owns it;
a later review found the Monday of a week computed by hand in three services and the
"is this one of the policy's remote days" test in four modules. These read the source
of every app (tests and migrations aside) for the hand-written forms.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["opd", "scheduling", "attendance", "evaluation", "notifications", "api", "wfh"]


def sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            yield path


@pytest.mark.parametrize(
    ("pattern", "home"),
    [
        # The Monday of a day's week: calendar.week_start.
        (r"timedelta\(days=\w+\.(iso)?weekday\(\)", "scheduling/calendar.py"),
        # Saturday and Sunday: calendar.is_working_day / WORKING_DAYS.
        (r"isoweekday\(\)\s*[<>]=?\s*[56]|weekday\(\)\s*(>=|<)\s*5", "scheduling/calendar.py"),
        # One of a policy's remote weekdays: roster.remote_day.
        (r"isoweekday\(\)\s+(not\s+)?in\s+\w+\.weekdays", "scheduling/roster.py"),
        # A policy's remote share and mode: roster.remote_share_of / remote_mode_of.
        (r"wfh_ratio if \w+\.mode ==|WFA if \w+\.mode ==", "scheduling/roster.py"),
    ],
)
def test_a_rule_with_a_home_is_written_only_there(pattern, home):
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources()
        if str(path.relative_to(ROOT)) != home
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(pattern, line)
    ]
    assert found == []
