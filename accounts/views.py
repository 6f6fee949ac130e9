from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.forms import SignupForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        services.log_in(self.request, form.get_user())
        return redirect(self.get_success_url())


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        services.log_in(request, user)
        messages.success(request, _("Welcome, %(name)s!") % {"name": user})
        return redirect(request.GET.get("next") or "/")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request):
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/profile.html", {"token": token})


@login_required
@require_POST
def rotate_token(request):
    services.rotate_api_token(request.user)
    messages.success(request, _("A new API token was created; the old one no longer works."))
    return redirect("accounts:profile")
