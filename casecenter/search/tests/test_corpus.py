"""The benchmark corpus: deterministic, well-formed, and its planted terms as frequent as promised."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from casecenter.search import corpus
from casecenter.search.indexing import Doc

SAMPLE = 20_000  # one full period of the rare terms
UNITS = (7, 8, 9)


@pytest.fixture(scope="module")
def sample() -> list[Doc]:
    return list(corpus.documents(SAMPLE, seed=42, unit_ids=UNITS))


@pytest.fixture(scope="module")
def texts(sample) -> list[str]:
    return [f"{d.title}\n{d.body}" for d in sample]


def share(texts: list[str], *terms: str) -> float:
    return sum(all(t in text for t in terms) for text in texts) / len(texts)


def test_the_same_seed_gives_the_same_documents_and_another_seed_others():
    first = list(corpus.documents(300, seed=5, unit_ids=UNITS))
    assert first == list(corpus.documents(300, seed=5, unit_ids=UNITS))
    assert [d.body for d in first] != [d.body for d in corpus.documents(300, seed=6, unit_ids=UNITS)]


def test_a_build_resumed_part_way_gives_the_same_documents():
    whole = list(corpus.documents(10_100, seed=3))
    assert list(corpus.documents(150, seed=3, start=9_950)) == whole[9_950:]
    assert list(corpus.documents(50, seed=3, start=10_050)) == whole[10_050:]


def test_documents_are_bench_cases_with_refs_units_names_and_identifiers(sample):
    assert [d.ref for d in sample[:3]] == ["1", "2", "3"]
    assert {d.kind for d in sample} == {"bench.case"}
    assert {d.unit_id for d in sample} == set(UNITS)
    for doc in sample[:500]:
        assert doc.title.endswith("案")
        assert len(doc.names) == 2 and all(2 <= len(n) <= 3 for n in doc.names)
        assert all(name in doc.body for name in doc.names)
        assert all(ident in doc.body for ident in doc.identifiers)


def test_every_narrative_is_280_to_320_characters(sample):
    lengths = [len(d.body) for d in sample]
    assert min(lengths) >= 280
    assert max(lengths) <= 320


def test_resident_id_numbers_have_a_valid_check_digit_a_real_region_and_an_existing_birth_date(sample):
    ids = [i for d in sample for i in d.identifiers if len(i) == 18]
    assert len(ids) == 2 * SAMPLE
    for number in ids:
        assert re.fullmatch(r"\d{17}[\dX]", number)
        assert number[17] == corpus.check_digit(number[:17])
        assert number[:6] in corpus.BIRTH_REGIONS
        born = datetime.strptime(number[6:14], "%Y%m%d")
        assert 1958 <= born.year <= 2007


def test_the_check_digit_matches_the_standards_worked_example():
    assert corpus.check_digit("11010519491231002") == "X"  # GB 11643-1999, appendix
    assert corpus.check_digit("44052418800101001") == "4"


def test_phones_plates_and_case_numbers_look_real(sample):
    idents = [i for d in sample for i in d.identifiers if len(i) != 18]
    phones = [i for i in idents if i.isdigit()]
    cases = [i for i in idents if i.startswith("A")]
    plates = [i for i in idents if not i.isdigit() and not i.startswith("A")]
    assert len(phones) == 2 * SAMPLE and len(cases) == SAMPLE and plates
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)
    assert all(re.fullmatch(r"A\d{6}20\d{6}\d{5}", c) for c in cases)
    assert all(re.fullmatch(r"[\u4e00-\u9fff][A-HJ-NP-Z][A-HJ-NP-Z0-9]\d{4}", p) for p in plates)


def test_each_rare_term_is_in_exactly_one_document_of_the_period(texts):
    counts = Counter(term for text in texts for term in corpus.RARE_TERMS if term in text)
    assert counts == dict.fromkeys(corpus.RARE_TERMS, 1)


def test_items_and_streets_are_each_in_about_one_percent_and_pairs_rarely_together(texts):
    for item in corpus.ITEMS:
        assert share(texts, item) == pytest.approx(1 / len(corpus.ITEMS), rel=0.3), item
    for street in corpus.STREETS:
        assert share(texts, street) == pytest.approx(1 / len(corpus.STREETS), rel=0.3), street
    together = [share(texts, item, street) for item, street in corpus.PAIRS]
    expected = corpus.expected_share(" ".join(corpus.PAIRS[0]))
    assert 0.00005 < expected < 0.0002
    assert sum(together) / len(together) == pytest.approx(expected, rel=0.35)
    assert max(together) < 0.001


def test_broad_terms_are_each_in_one_to_five_percent(texts):
    for term in corpus.BROAD_TERMS:
        expected = corpus.expected_share(term)
        assert 0.01 <= expected <= 0.05, term
        assert share(texts, term) == pytest.approx(expected, rel=0.25), term


def test_the_query_sets_use_only_planted_terms():
    selective = corpus.selective_queries(120)
    assert len(selective) == 120 and selective[0] == corpus.RARE_TERMS[0]
    assert selective[1] == " ".join(corpus.PAIRS[0])
    assert all(corpus.expected_share(q) < 0.0002 for q in selective)
    broad = corpus.broad_queries(40)
    assert len(broad) == 40 and set(broad) <= set(corpus.BROAD_TERMS)


def test_every_offence_the_corpus_names_is_in_the_domain_dictionary():
    path = Path(corpus.__file__).parent / "data" / "dictionary.txt"
    words = {line.split(" ")[0] for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")}
    offences = [name for name, _, _ in corpus.SCENARIOS] + list(corpus.RARE_TERMS)
    assert [o for o in offences if o not in words] == []
