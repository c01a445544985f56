from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kawaltps.elections.models import Election

from .navigation import NEXT_STEPS, visible


@login_required
def home(request):
    user = request.user
    steps = visible(NEXT_STEPS.get(user.role, []), user)
    return render(request, "core/home.html", {
        "steps": steps,
        "elections": Election.objects.all()[:5],
    })


def health(request):
    from django.http import JsonResponse

    return JsonResponse({"ok": True})
