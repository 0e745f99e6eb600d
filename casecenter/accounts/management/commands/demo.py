from django.core.management.base import BaseCommand

from casecenter.accounts.demo import DEMO_PASSWORD, PERSONAS, build_demo_organisation
from casecenter.accounts.models import User


class Command(BaseCommand):
    help = "Load the demonstration organisation and one persona per role (idempotent), and print the logins."

    def handle(self, *args, **options):
        first_run = not User.objects.filter(username=PERSONAS[0].username).exists()
        build_demo_organisation()
        self.stdout.write(self.style.SUCCESS("Demo data loaded." if first_run else "Demo data already present."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        width = max(len(p.username) for p in PERSONAS)
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username.ljust(width)}  {persona.full_name}  {persona.note}")
        self.stdout.write("")
