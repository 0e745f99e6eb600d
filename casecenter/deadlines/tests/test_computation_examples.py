"""Worked examples, each computed by hand from the law, against the shipped 2025/2026 calendar rows.

Rest days used below (calendar.md): 国庆节 2026-10-01..07 with make-up working days Sun 09-20 and
Sat 10-10; 春节 2026-02-15..23 with make-up working days Sat 02-14 and Sat 02-28; 元旦 2026-01-01..03
with Sun 01-04 worked; 清明 2026-04-04..06; 劳动节 2025-05-01..05. Weekends are rest days.

Each row: (rule id, start (local), held, pauses (local), extensions, expected due (local), the article
the rule is counted under, the hand computation). A due time "24:00 of D" is written D+1 00:00.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from casecenter.deadlines import calendar_cache, computation, rules

SHANGHAI = rules.SHANGHAI


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


EXAMPLES = [
    # --- hours: from the exact minute, across midnight and month ends, never moved for holidays ---
    ("criminal-summons", "2026-03-03 09:30", True, [], [], "2026-03-03 21:30", "cpl 119(2)",
     "arrival 09:30 + 12 h = 21:30, not rounded to the hour"),
    ("criminal-summons", "2026-03-03 20:15", True, [], [], "2026-03-04 08:15", "cpl 119(2)",
     "20:15 + 12 h crosses midnight: 08:15 next day"),
    ("criminal-summons", "2026-03-03 20:15", True, [], ["serious"], "2026-03-04 20:15", "mps-criminal-rules 200",
     "especially serious, department head approves: 24 h in all"),
    ("compelled-appearance", "2026-01-31 22:00", True, [], [], "2026-02-01 10:00", "cpl 119(2)",
     "31 Jan 22:00 + 12 h = 1 Feb 10:00 (month end)"),
    ("compelled-appearance", "2026-02-28 23:59", True, [], ["serious"], "2026-03-01 23:59", "mps-criminal-rules 80(1)",
     "28 Feb (2026 not leap) 23:59 + 24 h = 1 Mar 23:59; county chief approves"),
    ("detention-to-detention-house", "2026-12-31 18:00", True, [], [], "2027-01-01 18:00", "cpl 85(2)",
     "24 h across the year end; an hour clock needs no calendar"),
    ("detention-family-notice", "2026-10-01 09:00", True, [], [], "2026-10-02 09:00", "cpl 85(2)",
     "24 h on National Day: hour clocks do not roll"),
    ("interrogation-after-detention", "2026-02-15 00:30", True, [], [], "2026-02-16 00:30", "cpl 86",
     "24 h in the Spring Festival: no roll"),
    ("arrest-family-notice", "2026-05-31 23:00", True, [], [], "2026-06-01 23:00", "cpl 93(2)",
     "24 h across the end of May"),
    ("fast-track-decision", "2026-02-27 10:00", False, [], [], "2026-03-01 10:00", "mps-admin-rules 47",
     "27 Feb 10:00 + 48 h = 1 Mar 10:00 (February has 28 days)"),
    ("lawyer-meeting", "2026-10-06 09:00", True, [], [], "2026-10-08 09:00", "cpl 39(2)",
     "48 h from the request, holidays included"),
    ("property-handover", "2026-02-14 16:45", False, [], [], "2026-02-15 16:45", "mps-admin-rules 190",
     "24 h from taking the property"),
    # --- the 治安 questioning: law version by the start (2012 law until 2025-12-31) ---
    ("public-order-questioning", "2025-06-01 14:00", True, [], [], "2025-06-01 22:00",
     "public-security-penalties 83(1)",
     "2012 law: 14:00 + 8 h = 22:00"),
    ("public-order-questioning", "2025-12-31 20:00", True, [], ["complex"], "2026-01-01 20:00",
     "public-security-penalties 83(1)", "started 31 Dec: the 2012 law applies though it ends under the new one; 24 h"),
    ("public-order-questioning", "2025-12-31 23:59", True, [], [], "2026-01-01 07:59",
     "public-security-penalties 83(1)",
     "one minute before the switch: 2012 version, 8 h"),
    ("public-order-questioning", "2026-01-01 00:00", True, [], ["complex", "many-or-unknown"], "2026-01-03 00:00",
     "mps-admin-rules 69", "from 1 Jan 2026 the revised law (unconfirmed 48 h tier): 48 h"),
    ("public-order-questioning", "2025-05-10 22:00", True, [("2025-05-10 22:30", "2025-05-11 02:00")], [],
     "2025-05-11 09:30", "mps-admin-rules 58(2)",
     "8 h → 06:00; drunk restraint 22:30–02:00 (3 h 30) not counted → 09:30"),
    ("continued-questioning", "2026-04-30 20:00", True, [], [], "2026-05-01 08:00", "continued-questioning 11",
     "12 h from being brought in"),
    ("continued-questioning", "2026-04-30 20:00", True, [], ["hard-to-verify"], "2026-05-01 20:00",
     "continued-questioning 11", "extended to 24 h (county chief, 盘问规定 17)"),
    ("continued-questioning", "2026-04-30 20:00", True, [], ["hard-to-verify", "identity-unknown"],
     "2026-05-02 20:00", "continued-questioning 11", "identity unknown: 48 h"),
    # --- days: the start day not counted, due at 24:00 of the last day ---
    ("arrest-request", "2026-03-02 15:00", True, [], [], "2026-03-06 00:00", "cpl 91(1)",
     "detained Mon 2 Mar; days 3, 4, 5 Mar; 24:00 of 5 Mar"),
    ("arrest-request", "2026-09-28 10:00", True, [], [], "2026-10-02 00:00", "cpl 91(1)",
     "last day 1 Oct is National Day but the person is held (CPL 105 ¶4): not extended"),
    ("arrest-request", "2026-03-02 15:00", True, [], ["special-4-days"], "2026-03-10 00:00",
     "mps-criminal-rules 129(1)",
     "3 + 4 days: 3..9 Mar; 24:00 of 9 Mar"),
    ("arrest-request", "2026-03-02 15:00", True, [], ["special-1-day"], "2026-03-07 00:00", "mps-criminal-rules 129(1)",
     "3 + 1 days: last day 6 Mar (a Friday)"),
    ("arrest-request", "2026-03-02 15:00", True, [], ["roving-serial-gang"], "2026-04-02 00:00",
     "mps-criminal-rules 129(2)", "30 days: 3 Mar .. 1 Apr (March has 31 days)"),
    ("refusal-notice", "2026-09-28 10:00", False, [], [], "2026-10-09 00:00", "mps-criminal-rules 178",
     "last day Thu 1 Oct, National Day 1–7 Oct: rolls to Thu 8 Oct"),
    ("refusal-notice", "2026-02-12 10:00", False, [], [], "2026-02-25 00:00", "mps-criminal-rules 178",
     "last day Sun 15 Feb, Spring Festival 15–23 Feb: rolls to Tue 24 Feb"),
    ("refusal-notice", "2026-02-11 10:00", False, [], [], "2026-02-15 00:00", "mps-criminal-rules 178",
     "last day Sat 14 Feb is a make-up working day: no roll"),
    ("refusal-notice", "2026-09-17 10:00", False, [], [], "2026-09-21 00:00", "mps-criminal-rules 178",
     "last day Sun 20 Sep is a make-up working day: no roll"),
    ("refusal-notice", "2026-10-07 10:00", False, [], [], "2026-10-11 00:00", "mps-criminal-rules 178",
     "started on a holiday (counted as usual); last day Sat 10 Oct is worked: no roll"),
    ("refusal-notice", "2026-03-04 10:00", False, [], [], "2026-03-10 00:00", "mps-criminal-rules 178",
     "last day Sat 7 Mar: weekend, rolls to Mon 9 Mar"),
    ("measure-change-request", "2026-02-12 10:00", True, [], [], "2026-02-16 00:00", "mps-criminal-rules 160",
     "held: last day Sun 15 Feb stays"),
    ("measure-change-request", "2026-02-12 10:00", False, [], [], "2026-02-25 00:00", "mps-criminal-rules 160",
     "not held: 15 Feb rolls to 24 Feb"),
    ("procuratorate-decision-detained", "2026-09-24 10:00", True, [], [], "2026-10-02 00:00", "cpl 91(3)",
     "7 days: 25 Sep .. 1 Oct; detained, no roll"),
    ("procuratorate-decision-not-detained", "2026-09-24 10:00", False, [], [], "2026-10-10 00:00",
     "procuratorate-rules 282", "15 days: last day Fri 9 Oct, a working day"),
    ("procuratorate-decision-not-detained", "2026-09-24 10:00", False, [], ["major-complex"], "2026-10-15 00:00",
     "procuratorate-rules 282", "20 days in all: last day Wed 14 Oct"),
    ("refusal-reconsideration-decision", "2026-03-02 10:00", False, [], [], "2026-04-02 00:00",
     "mps-criminal-rules 179(1)", "30 days: 3 Mar .. 1 Apr (Wed)"),
    ("refusal-reconsideration-decision", "2026-03-02 10:00", False, [], ["major-complex"], "2026-05-07 00:00",
     "mps-criminal-rules 179(3)",
     "30 + 30 days: 3 Mar .. 1 May (29 + 30 + 1); 1 May is 劳动节 (1–5 May): rolls to Wed 6 May"),
    ("refused-arrest-reconsideration", "2026-09-26 10:00", False, [], [], "2026-10-09 00:00",
     "mps-criminal-rules 141(1)", "5 days: 27 Sep .. 1 Oct, rolls over National Day to 8 Oct"),
    ("criminal-filing-review", "2026-02-10 10:00", False, [], ["leads"], "2026-02-25 00:00",
     "公通字〔2015〕32号", "7 days: last day 17 Feb (Spring Festival) rolls to 24 Feb"),
    ("criminal-filing-review", "2026-01-05 10:00", False, [], ["major-complex"], "2026-02-05 00:00",
     "公通字〔2015〕32号", "30 days: 6 Jan .. 4 Feb (Wed)"),
    ("administrative-acceptance-review", "2026-10-01 08:00", False, [], [], "2026-10-02 08:00",
     "公通字〔2015〕32号", "24 h, an hour clock: no roll"),
    ("administrative-acceptance-review", "2026-09-30 08:00", False, [], ["difficult"], "2026-10-09 00:00",
     "公通字〔2015〕32号", "3 days in all: last day 3 Oct rolls to 8 Oct"),
    ("public-order-case", "2025-03-01 10:00", False, [], [], "2025-04-01 00:00", "public-security-penalties 99(1)",
     "30 days: 2 Mar .. 31 Mar 2025 (Mon)"),
    ("public-order-case", "2025-03-01 10:00", False, [], ["major-complex"], "2025-05-01 00:00",
     "public-security-penalties 99(1)", "30 + 30 days: last day Wed 30 Apr 2025, before 劳动节"),
    ("public-order-case", "2025-12-31 10:00", False, [], [], "2026-01-31 00:00", "public-security-penalties 99(1)",
     "accepted 31 Dec 2025: 2012 law; last day Fri 30 Jan 2026"),
    ("public-order-case", "2026-01-01 10:00", False, [], [], "2026-02-03 00:00", "mps-admin-rules 165",
     "accepted 1 Jan 2026: revised law (unconfirmed); last day Sat 31 Jan rolls to Mon 2 Feb"),
    ("public-order-case", "2026-03-01 10:00", False, [("2026-03-03 10:00", "2026-03-10 15:00")], [],
     "2026-04-08 00:00", "mps-admin-rules 165", "last day 31 Mar; appraisal 3–10 Mar excludes 7 days → 7 Apr"),
    ("administrative-seizure", "2026-09-01 10:00", False, [], [], "2026-10-09 00:00", "mps-admin-rules 112",
     "30 days: last day 1 Oct rolls to 8 Oct (行规 35)"),
    ("administrative-seizure", "2026-09-01 10:00", False, [], ["complex"], "2026-11-03 00:00", "mps-admin-rules 112",
     "60 days: last day Sat 31 Oct rolls to Mon 2 Nov"),
    ("administrative-seizure", "2026-09-01 10:00", False, [("2026-09-05 09:00", "2026-09-05 17:00")], [],
     "2026-10-09 00:00", "administrative-coercion 25(3)", "a test within one day excludes no whole day"),
    ("administrative-seizure", "2026-08-20 10:00", False, [("2026-08-25 09:00", "2026-09-04 09:00")], [],
     "2026-09-30 00:00", "administrative-coercion 25(3)",
     "last day 19 Sep; testing 25 Aug – 4 Sep excludes 10 days → Tue 29 Sep"),
    # --- months: the same day, or the month's last day ---
    ("investigative-custody", "2026-01-31 10:00", True, [], [], "2026-04-01 00:00", "cpl 156",
     "31 Jan + 2 months = 31 Mar"),
    # Each added month is counted from the last day of the period before it (CPL 156, 158, 159; 刑规 148–150).
    ("investigative-custody", "2025-12-31 10:00", True, [], ["higher-procuratorate"], "2026-03-29 00:00", "cpl 156",
     "31 Dec + 2 months: no 31 Feb → 28 Feb 2026; + 1 month from 28 Feb = 28 Mar (not 31 Mar)"),
    ("investigative-custody", "2026-11-30 10:00", True, [], ["higher-procuratorate"], "2027-03-01 00:00", "cpl 156",
     "30 Nov + 2 months = 30 Jan 2027; + 1 month: no 30 Feb → 28 Feb 2027; held, no calendar needed"),
    ("investigative-custody", "2025-12-31 10:00", True, [], ["higher-procuratorate", "provincial-procuratorate"],
     "2026-05-29 00:00", "cpl 158",
     "31 Dec + 2 months → 28 Feb 2026; + 1 → 28 Mar; + 2 → 28 May (5 months from the start would be 31 May)"),
    ("investigative-custody", "2026-01-31 10:00", True, [],
     ["higher-procuratorate", "provincial-procuratorate", "ten-years"], "2026-08-31 00:00", "cpl 159",
     "31 Jan + 2 = 31 Mar; + 1: no 31 Apr → 30 Apr; + 2 = 30 Jun; + 2 = 30 Aug (not 31 Aug)"),
    ("bail", "2025-01-31 10:00", False, [], [], "2026-02-03 00:00", "cpl 79(1)",
     "12 months: last day Sat 31 Jan 2026 rolls to Mon 2 Feb"),
    ("bail", "2025-02-28 10:00", False, [], [], "2026-03-01 00:00", "cpl 79(1)",
     "12 months: last day Sat 28 Feb 2026 is a make-up working day"),
    ("residential-surveillance", "2025-08-19 10:00", False, [], [], "2026-02-25 00:00", "cpl 79(1)",
     "6 months: 19 Feb 2026 in the Spring Festival rolls to 24 Feb"),
    ("residential-surveillance", "2025-08-31 10:00", True, [], [], "2026-03-01 00:00", "cpl 79(1)",
     "31 Aug + 6 months: no 31 Feb → 28 Feb"),
    ("unclaimed-property", "2025-08-30 10:00", False, [], [], "2026-03-01 00:00", "mps-criminal-rules 233",
     "30 Aug + 6 months: no 30 Feb → 28 Feb, a make-up working day"),
]


@pytest.fixture
def real_calendar(db):
    calendar_cache.invalidate()
    cal = calendar_cache.current()
    assert cal.is_known(2025) and cal.is_known(2026), "migrate loads the shipped 2025/2026 calendar"
    return cal


def test_there_are_at_least_forty_worked_examples():
    assert len(EXAMPLES) >= 40


@pytest.mark.parametrize(("rule_id", "start", "held", "pauses", "extensions", "due", "article", "comment"), EXAMPLES,
                         ids=[f"{e[0]}@{e[1]}{'+' + '+'.join(e[4]) if e[4] else ''}" for e in EXAMPLES])
def test_worked_example(real_calendar, rule_id, start, held, pauses, extensions, due, article, comment):
    rule = rules.catalog().resolve(rule_id, t(start))
    cited = {c.ref for c in rule.citations} | {e.citation.ref for e in rule.extensions if e.citation}
    cited |= {p.citation.ref for p in rule.pauses}
    assert article in cited or article in rule.source, f"{rule_id} does not cite {article}"
    result = computation.compute(rule, started_at=t(start), held=held, extensions=extensions,
                                 pauses=[(t(a), t(b)) for a, b in pauses], calendar=real_calendar)
    assert result.due_at.astimezone(SHANGHAI) == t(due), comment
    assert result.due_at.utcoffset().total_seconds() == 0
    assert result.remaining is None
