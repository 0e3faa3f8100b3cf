from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def account(request):
    return render(request, "accounts/account.html")


def terms(request):
    # Placeholder until versioned terms of use land (issue: Accounts).
    return render(request, "accounts/terms.html")
