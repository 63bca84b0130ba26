from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from . import emails, services


RETURN_TO = "accounts.return_to"
ASK_EQUALITY = "accounts.ask_equality"


class AccountAdapter(DefaultAccountAdapter):
    """Talk Health's hooks into allauth: profile fields, verified flag, and email through Celery."""

    # No message says whether an address has an account: sign-up answers alike (accounts.forms.SignupForm).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account has been closed. Contact us if you think this is wrong",
        "email_password_mismatch": "Enter the email address and password you used to create your account",
        "enter_current_password": "Enter your current password",
        "incorrect_password": "Enter your current password correctly",
        "invalid_password_reset": "This password reset link has expired or been used. Ask for a new one",
        "too_many_login_attempts": "You have tried to sign in too many times. Wait a few minutes and try again",
        "unknown_email": "Enter the email address you used to create your account",
        "rate_limited": "You have sent too many requests. Wait a few minutes and try again",
    }

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"]
        user.borough = form.cleaned_data.get("borough") or ""
        self._remember_return_to(request)
        request.session[ASK_EQUALITY] = True
        if commit:
            user.save()
        return user

    def _remember_return_to(self, request) -> None:
        """The page someone signed up from, kept so confirming the email address brings them back."""
        target = request.POST.get("next") or request.GET.get("next") or ""
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            request.session[RETURN_TO] = target

    def _equality_first(self, target: str) -> str:
        """The optional equality questions (skippable), then `target`."""
        return f"{reverse('accounts:equality')}?{urlencode({'next': target})}"

    def get_signup_redirect_url(self, request):
        """Straight after a sign-up that signs the person in: the optional equality questions."""
        request.session.pop(ASK_EQUALITY, None)
        return self._equality_first(request.session.pop(RETURN_TO, None) or super().get_signup_redirect_url(request))

    def get_email_verification_redirect_url(self, email_address):
        """Back where the person started, when they confirm in the browser they signed up in; a new
        account is first offered the optional equality questions."""
        target = self.request.session.pop(RETURN_TO, None)
        if not (target and url_has_allowed_host_and_scheme(target, {self.request.get_host()}, self.request.is_secure())):
            target = super().get_email_verification_redirect_url(email_address)
        if self.request.session.pop(ASK_EQUALITY, False):
            return self._equality_first(target)
        return target

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
