from django.db import models
from django.urls import reverse


class Programme(models.Model):
    """One of the Healthy London Partnership's 13 transformation programmes. Slugs are stable URLs."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, help_text="Used in navigation and page titles.")
    summary = models.TextField(help_text="A few sentences in plain English on what the programme is for.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("programmes:hub", kwargs={"slug": self.slug})
