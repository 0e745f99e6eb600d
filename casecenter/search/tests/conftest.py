import pytest

from casecenter.accounts.models import Unit
from casecenter.accounts.roles import Role
from casecenter.accounts.services import user_create, user_set_roles
from casecenter.search import kinds
from casecenter.search.indexing import index_many, make_doc


@pytest.fixture
def test_kinds():
    """Two throwaway kinds for the tests (real apps register theirs in ready())."""
    kinds.register("test.case", label="Test cases", order=50)
    kinds.register("test.person", label="Test people", order=60)
    yield
    kinds._KINDS.pop("test.case", None)
    kinds._KINDS.pop("test.person", None)


@pytest.fixture
def corpus(personas, test_kinds):
    """A few documents in two districts and one without a unit (seen by everyone)."""
    east = personas["officer1"].unit
    west = personas["outsider"].unit
    docs = [
        make_doc("test.case", 1, unit=east, title="张三故意伤害案",
                 body="2026年3月14日21时许，犯罪嫌疑人张三在城关镇建国路与李四发生争执，持木棍将其打伤。"
                      "张三已被刑事拘留，涉案财物木棍一根已扣押。",
                 names=["张三", "李四"], identifiers=["110105198803123456", "13812345678", "A3201052026031400012"]),
        make_doc("test.case", 2, unit=west, title="王五盗窃电动自行车案",
                 body="报警人赵六称其停放在西关路的电动自行车被盗。经查，王五有重大作案嫌疑，已被取保候审。",
                 names=["王五", "赵六"], identifiers=["320105199001011234", "京A12345"]),
        make_doc("test.person", 3, unit=east, title="单雪", body="身份证号 11010519900307002X，住城关镇。",
                 names=["单雪"], identifiers=["11010519900307002X"]),
        make_doc("test.case", 4, unit=None, title="取保候審的條件",
                 body="對有下列情形之一的犯罪嫌疑人，可以取保候審。"),
    ]
    index_many(docs)
    return docs


@pytest.fixture
def city_officer(personas):
    """A case officer of the city bureau: the root unit, so every district's documents are visible."""
    officer = user_create(actor=None, username="cityofficer", full_name="市局民警", unit=Unit.objects.get(code="CITY"),
                          password="correct horse battery staple")
    user_set_roles(actor=personas["secadmin"], user=officer, roles=[Role.CASE_OFFICER])
    return officer
