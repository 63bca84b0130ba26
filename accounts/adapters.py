from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.http import urlencode

from . import emails, services


class AccountAdapter(DefaultAccountAdapter):
    """Talk Health's hooks into allauth: profile fields, verified flag, and email through Celery."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"]
        user.borough = form.cleaned_data.get("borough") or ""
        if commit:
            user.save()
        return user

    def get_signup_redirect_url(self, request):
        """Straight after sign-up, the optional equality questions, which can be skipped."""
        return f"{reverse('accounts:equality')}?{urlencode({'next': super().get_signup_redirect_url(request)})}"

    def confirm_email(self, request, email_address):
        confirmed = super().confirm_email(request, email_address)
        if confirmed and email_address.primary:
            services.user_mark_email_verified(user=email_address.user)
        return confirmed

    def send_mail(self, template_prefix, email, context):
        """As allauth's, but the rendered message is delivered by a Celery task after commit."""
        ctx = {"request": self.request, "email": email, "current_site": get_current_site(self.request)}
        ctx.update(context)
        emails.queue(self.render_mail(template_prefix, email, ctx))
