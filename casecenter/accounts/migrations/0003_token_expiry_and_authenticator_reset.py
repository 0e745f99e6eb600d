"""API tokens expire (``expires_at``); an account remembers that its authenticator was reset.

Tokens created before expiry existed get the configured lifetime counted from this migration, not
from their creation: an upgrade must not cut off every program that uses the API at once.
"""

import datetime as dt

from django.conf import settings
from django.db import migrations, models

from casecenter.core import clock


def give_existing_tokens_a_lifetime(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires = clock.now() + dt.timedelta(days=settings.CASECENTER["API_TOKEN_DAYS"])
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=expires)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_unit_serves"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="totp_reset_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="authenticator reset"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(give_existing_tokens_a_lifetime, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(db_index=True, verbose_name="expires"),
        ),
    ]
