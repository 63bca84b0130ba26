import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The plain index on accounts_notification.recipient_id duplicates the first column of the inbox
# index and of the once-per-event constraint, and every notification written pays for it. Django's
# own AlterField would also drop and re-add the foreign key, checking every row again under a lock:
# only the index goes, the constraint stays as it is.
INDEX = "accounts_notification_recipient_id_cb6b57f5"


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_notification_events"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "accounts_notification" ("recipient_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="recipient",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
