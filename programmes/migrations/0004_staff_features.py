"""Programme updates, polls, events and discussion exports."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('forums', '0003_moderation'),
        ('programmes', '0003_programme_follow'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DiscussionExport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'Waiting to start'), ('running', 'In progress'), ('done', 'Ready'), ('failed', 'Failed')], default='pending', max_length=10)),
                ('total_rows', models.PositiveIntegerField(default=0)),
                ('rows_done', models.PositiveIntegerField(default=0)),
                ('file', models.FileField(blank=True, upload_to='exports/')),
                ('error', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('programme', models.ForeignKey(blank=True, help_text='Empty for every programme.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programmes.programme')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=150)),
                ('description', models.TextField(max_length=5000)),
                ('description_html', models.TextField(editable=False)),
                ('starts_at', models.DateTimeField()),
                ('ends_at', models.DateTimeField()),
                ('venue', models.CharField(blank=True, help_text='The address, for an event in person.', max_length=300)),
                ('online_url', models.URLField(blank=True, help_text='The joining link, for an online event.')),
                ('borough', models.CharField(blank=True, choices=[('barking-and-dagenham', 'Barking and Dagenham'), ('barnet', 'Barnet'), ('bexley', 'Bexley'), ('brent', 'Brent'), ('bromley', 'Bromley'), ('camden', 'Camden'), ('city-of-london', 'City of London'), ('croydon', 'Croydon'), ('ealing', 'Ealing'), ('enfield', 'Enfield'), ('greenwich', 'Greenwich'), ('hackney', 'Hackney'), ('hammersmith-and-fulham', 'Hammersmith and Fulham'), ('haringey', 'Haringey'), ('harrow', 'Harrow'), ('havering', 'Havering'), ('hillingdon', 'Hillingdon'), ('hounslow', 'Hounslow'), ('islington', 'Islington'), ('kensington-and-chelsea', 'Kensington and Chelsea'), ('kingston-upon-thames', 'Kingston upon Thames'), ('lambeth', 'Lambeth'), ('lewisham', 'Lewisham'), ('merton', 'Merton'), ('newham', 'Newham'), ('redbridge', 'Redbridge'), ('richmond-upon-thames', 'Richmond upon Thames'), ('southwark', 'Southwark'), ('sutton', 'Sutton'), ('tower-hamlets', 'Tower Hamlets'), ('waltham-forest', 'Waltham Forest'), ('wandsworth', 'Wandsworth'), ('westminster', 'Westminster')], max_length=32)),
                ('accessibility', models.TextField(blank=True, help_text='Step-free access, hearing loops, BSL, quiet rooms, captions...', max_length=2000)),
                ('capacity', models.PositiveIntegerField(blank=True, help_text='Leave empty for no booking limit.', null=True)),
                ('attendee_count', models.PositiveIntegerField(default=0, editable=False)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='programmes.programme')),
            ],
            options={
                'ordering': ['starts_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='EventAttendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='programmes.event')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='event_attendances', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Poll',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('question', models.CharField(max_length=200)),
                ('description', models.TextField(blank=True, max_length=1000)),
                ('kind', models.CharField(choices=[('single', 'Choose one answer'), ('multiple', 'Choose any number of answers')], default='single', max_length=10)),
                ('opens_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('closes_at', models.DateTimeField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='polls', to='programmes.programme')),
            ],
            options={
                'ordering': ['-opens_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='PollBallot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('borough', models.CharField(blank=True, max_length=32)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ballots', to='programmes.poll')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='poll_ballots', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='PollChoice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=200)),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('poll', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='choices', to='programmes.poll')),
            ],
            options={
                'ordering': ['position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PollVote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ballot', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='programmes.pollballot')),
                ('choice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='programmes.pollchoice')),
            ],
        ),
        migrations.CreateModel(
            name='Update',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=150)),
                ('summary', models.CharField(help_text='One or two sentences shown in lists and emails.', max_length=300)),
                ('body', models.TextField()),
                ('body_html', models.TextField(editable=False)),
                ('tags', models.CharField(blank=True, help_text='Comma-separated topics.', max_length=300)),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('unpublished', 'Unpublished')], default='draft', max_length=12)),
                ('publish_at', models.DateTimeField(blank=True, help_text='When a scheduled update goes live.', null=True)),
                ('published_at', models.DateTimeField(blank=True, help_text='When it was first published.', null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='programmes.programme')),
                ('scheduled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('thread', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='programme_update', to='forums.thread')),
            ],
            options={
                'ordering': ['-published_at', '-created_at'],
            },
        ),
        migrations.AddField(
            model_name='poll',
            name='update',
            field=models.ForeignKey(blank=True, help_text="Show the poll inside this update as well as on the programme's page.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='polls', to='programmes.update'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['ends_at', 'starts_at'], name='programmes_event_upcoming'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['programme', 'ends_at'], name='programmes_event_programme'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='programmes_event_ends_after'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(('capacity__isnull', True), ('attendee_count__lte', models.F('capacity')), _connector='OR'), name='programmes_event_within_capacity'),
        ),
        migrations.AddIndex(
            model_name='eventattendance',
            index=models.Index(fields=['user', 'event'], name='programmes_event_attendee'),
        ),
        migrations.AddConstraint(
            model_name='eventattendance',
            constraint=models.UniqueConstraint(fields=('event', 'user'), name='programmes_event_attend_once'),
        ),
        migrations.AddConstraint(
            model_name='pollballot',
            constraint=models.UniqueConstraint(fields=('poll', 'user'), name='programmes_poll_one_ballot'),
        ),
        migrations.AddConstraint(
            model_name='pollvote',
            constraint=models.UniqueConstraint(fields=('ballot', 'choice'), name='programmes_poll_choice_once'),
        ),
        migrations.AddIndex(
            model_name='update',
            index=models.Index(fields=['status', '-published_at'], name='programmes_update_published'),
        ),
        migrations.AddIndex(
            model_name='update',
            index=models.Index(fields=['programme', 'status', '-published_at'], name='programmes_update_programme'),
        ),
        migrations.AddIndex(
            model_name='update',
            index=models.Index(condition=models.Q(('status', 'scheduled')), fields=['publish_at'], name='programmes_update_due'),
        ),
        migrations.AddConstraint(
            model_name='update',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'scheduled'), _negated=True), ('publish_at__isnull', False), _connector='OR'), name='programmes_update_scheduled_at'),
        ),
        migrations.AddIndex(
            model_name='poll',
            index=models.Index(fields=['programme', '-opens_at'], name='programmes_poll_programme'),
        ),
        migrations.AddConstraint(
            model_name='poll',
            constraint=models.CheckConstraint(condition=models.Q(('closes_at__gt', models.F('opens_at'))), name='programmes_poll_closes_after'),
        ),
    ]
