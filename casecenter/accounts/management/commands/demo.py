from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule

from casecenter.accounts.demo import DEMO_PASSWORD, PERSONAS, build_demo_organisation
from casecenter.accounts.models import User


class Command(BaseCommand):
    help = "Load the demonstration organisation and one persona per role (idempotent), and print the logins."

    def handle(self, *args, **options):
        first_run = not User.objects.filter(username=PERSONAS[0].username).exists()
        users = build_demo_organisation()
        # Higher apps add their own demo records (a module ``<app>/demo.py`` with ``load_demo(users)``),
        # found by name so that this lower app imports none of them.
        for config in apps.get_app_configs():
            if config.name != "casecenter.accounts" and config.name.startswith("casecenter.") and \
                    module_has_submodule(config.module, "demo"):
                loader = getattr(import_module(f"{config.name}.demo"), "load_demo", None)
                if loader is not None:
                    loader(users)
        self.stdout.write(self.style.SUCCESS("Demo data loaded." if first_run else "Demo data already present."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        width = max(len(p.username) for p in PERSONAS)
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username.ljust(width)}  {persona.full_name}  {persona.note}")
        self.stdout.write("")
