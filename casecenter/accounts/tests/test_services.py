"""Units, accounts and roles: the services and their refusals."""

import pytest

from casecenter.accounts import services
from casecenter.accounts.models import RoleGrant, Unit
from casecenter.accounts.selectors import visible_units
from casecenter.core.errors import Forbidden, ValidationFailed


@pytest.mark.django_db
class TestUnits:
    def test_a_unit_sees_itself_and_everything_below(self, personas):
        codes = set(visible_units(personas["chief"]).values_list("code", flat=True))
        assert codes == {"EAST", "EAST-STATION1", "EAST-STATION2", "EAST-CID", "EAST-LEGAL", "EAST-CENTRE",
                         "EAST-PROPERTY"}
        assert set(visible_units(personas["officer1"]).values_list("code", flat=True)) == {"EAST-STATION1"}

    def test_external_accounts_see_no_units_records(self, personas):
        for name in ("lawyer", "procurator", "judge"):
            assert not visible_units(personas[name]).exists()

    def test_moving_a_unit_moves_its_subtree(self, personas):
        west = Unit.objects.get(code="WEST")
        east = Unit.objects.get(code="EAST")
        services.unit_update(actor=personas["sysadmin"], unit=west, parent=east)
        station = Unit.objects.get(code="WEST-STATION1")
        assert station.path.startswith(Unit.objects.get(code="EAST").path)
        assert "WEST-STATION1" in set(visible_units(personas["chief"]).values_list("code", flat=True))

    def test_a_unit_cannot_move_under_its_own_subtree(self, personas):
        east = Unit.objects.get(code="EAST")
        with pytest.raises(ValidationFailed) as exc:
            services.unit_update(actor=personas["sysadmin"], unit=east, parent=Unit.objects.get(code="EAST-CID"))
        assert "parent" in exc.value.fields

    def test_codes_are_unique(self, personas):
        with pytest.raises(ValidationFailed) as exc:
            services.unit_create(actor=personas["sysadmin"], code="EAST", name="重复", kind="police_station")
        assert "code" in exc.value.fields

    def test_an_unknown_kind_is_refused(self, personas):
        with pytest.raises(ValidationFailed) as exc:
            services.unit_create(actor=personas["sysadmin"], code="X1", name="某单位", kind="castle")
        assert "kind" in exc.value.fields


@pytest.mark.django_db
class TestRoles:
    def test_only_the_security_administrator_grants_roles(self, personas):
        with pytest.raises(Forbidden):
            services.user_set_roles(actor=personas["sysadmin"], user=personas["officer2"], roles=["county_chief"])
        assert set(RoleGrant.objects.filter(user=personas["officer2"]).values_list("role", flat=True)) == {
            "case_officer"}

    def test_nobody_changes_their_own_roles(self, personas):
        with pytest.raises(Forbidden):
            services.user_set_roles(actor=personas["secadmin"], user=personas["secadmin"],
                                    roles=["security_admin", "audit_admin"])

    def test_an_administrator_role_is_never_combined_with_another(self, personas):
        with pytest.raises(ValidationFailed):
            services.user_set_roles(actor=personas["secadmin"], user=personas["officer2"],
                                    roles=["case_officer", "system_admin"])
        with pytest.raises(ValidationFailed):
            services.user_set_roles(actor=personas["secadmin"], user=personas["officer2"],
                                    roles=["audit_admin", "system_admin"])

    def test_granting_and_revoking_reports_the_difference(self, personas):
        granted, revoked = services.user_set_roles(actor=personas["secadmin"], user=personas["officer2"],
                                                   roles=["analyst"])
        assert granted == {"analyst"} and revoked == {"case_officer"}
        assert personas["officer2"].roles == {"analyst"}


@pytest.mark.django_db
class TestAccounts:
    def test_usernames_are_unique(self, personas):
        with pytest.raises(ValidationFailed) as exc:
            services.user_create(actor=personas["sysadmin"], username="officer1", full_name="重名",
                                 unit=personas["officer1"].unit, password="a long enough passphrase")
        assert "username" in exc.value.fields

    @pytest.mark.parametrize("password", ["short", "password", "12345678", "qwertyuiop"])
    def test_short_and_common_passwords_are_refused(self, personas, password):
        with pytest.raises(ValidationFailed) as exc:
            services.user_create(actor=personas["sysadmin"], username="new1", full_name="新民警",
                                 unit=personas["officer1"].unit, password=password)
        assert "password" in exc.value.fields

    def test_no_composition_rules_a_long_lowercase_passphrase_is_fine(self, personas):
        user = services.user_create(actor=personas["sysadmin"], username="new1", full_name="新民警",
                                    unit=personas["officer1"].unit, password="river stones under morning fog")
        assert user.check_password("river stones under morning fog")

    def test_nobody_deactivates_their_own_account(self, personas):
        with pytest.raises(Forbidden):
            services.user_deactivate(actor=personas["sysadmin"], user=personas["sysadmin"])
