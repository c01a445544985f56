"""View decorator that applies the access rules."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login

from .rules import Action, require


def requires(action: Action, target_kwarg: str | None = None) -> Callable:
    """Let the view run only if the user may take ``action`` (on the URL's ``target_kwarg`` code)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, action, kwargs.get(target_kwarg) if target_kwarg else None)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
