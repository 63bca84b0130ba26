"""Official responses, thread status ("you said, we did") and the boards that hold programme updates."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('forums', '0004_search_vectors'),
        ('programmes', '0004_staff_features'),
    ]

    operations = [
        migrations.AddField(
            model_name='board',
            name='accepts_threads',
            field=models.BooleanField(default=True, help_text='Residents may start discussions here. Programme updates have a board of their own.'),
        ),
        migrations.AddField(
            model_name='comment',
            name='is_official',
            field=models.BooleanField(default=False, help_text="Posted by partnership staff as the programme team's official response."),
        ),
        migrations.AddField(
            model_name='thread',
            name='official_response',
            field=models.ForeignKey(blank=True, help_text='The first official response, linked from the top of the discussion.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='forums.comment'),
        ),
        migrations.AddField(
            model_name='thread',
            name='page_url',
            field=models.CharField(blank=True, help_text='Where the discussion is shown when it belongs to something else, such as a programme update.', max_length=200),
        ),
        migrations.AddField(
            model_name='thread',
            name='status',
            field=models.CharField(choices=[('open', 'Open'), ('considering', 'Under consideration'), ('responded', 'Responded'), ('changed', 'Led to a change')], default='open', max_length=12),
        ),
        migrations.AddField(
            model_name='thread',
            name='status_changed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='thread',
            name='status_update',
            field=models.ForeignKey(blank=True, help_text='The programme update that records the change this discussion led to.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='decided_threads', to='programmes.update'),
        ),
    ]
