"""``casecenter demo``: the demonstration organisation, its personas and the apps' demo records.

    casecenter demo              # load what is missing; place the live demo clocks anew when stale
    casecenter demo --refresh    # place the live demo clocks anew now

Only in a demo or development installation (CASECENTER_DEMO=1 or CASECENTER_DEBUG=1): it creates
sixteen accounts, the three administrators among them, with a published password.

Higher apps add their records through a module ``<app>/demo.py``, found by name so that this lower
app imports none of them: ``load_demo(users)`` loads what never changes (once), and
``refresh_demo(users, force=...)``, where an app has one, places what is told relative to now and
answers a line saying what it did.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

from casecenter.accounts.demo import DEMO_PASSWORD, PERSONAS, build_demo_organisation
from casecenter.accounts.models import User


def _demo_modules():
    for config in apps.get_app_configs():
        if config.name != "casecenter.accounts" and config.name.startswith("casecenter.") and \
                module_has_submodule(config.module, "demo"):
            yield import_module(f"{config.name}.demo")


class Command(BaseCommand):
    help = ("Load the demonstration organisation, one persona per role and the demo cases (idempotent), place the "
            "live demo clocks relative to now when they are stale, and print the logins.")

    def add_arguments(self, parser):
        parser.add_argument("--refresh", action="store_true",
                            help="place the live demo clocks anew now, ending the previous ones (recorded)")

    def handle(self, *args, refresh, **options):
        if settings.PRODUCTION:
            raise CommandError(_("casecenter demo creates accounts with a published password, the administrators' "
                                 "among them: it runs only in a demonstration or development installation "
                                 "(CASECENTER_DEMO=1 or CASECENTER_DEBUG=1), never in production."))
        first_run = not User.objects.filter(username=PERSONAS[0].username).exists()
        users = build_demo_organisation()
        modules = list(_demo_modules())
        for module in modules:
            loader = getattr(module, "load_demo", None)
            if loader is not None:
                loader(users)
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.") if first_run else _("Demo data already present.")))
        for module in modules:
            refresher = getattr(module, "refresh_demo", None)
            if refresher is not None:
                self.stdout.write(refresher(users, force=refresh))
        self.stdout.write("\n" + _("Demo logins (password for all: {password})").format(password=DEMO_PASSWORD) + "\n")
        width = max(len(p.username) for p in PERSONAS)
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username.ljust(width)}  {persona.full_name}  {persona.note}")
        self.stdout.write("")
