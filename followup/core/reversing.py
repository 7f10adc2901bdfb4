"""reverse(), remembered: a link is worked out once per process, not once per row of every page.

Django's reverse() walks the URL resolver each time (about 40-60 us here); a list page asks
for a few links per row, a few hundred per page. The answer depends only on the view name,
the arguments, the namespace being served, the URLconf and the script prefix, so it is kept
under all of them. Only plain arguments (int and str) are remembered; anything else (a model
instance, whose str() may change) goes to Django's reverse() every time.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

_PLAIN = (int, str)


@lru_cache(maxsize=50_000)
def _remembered(viewname, args, kwargs, current_app, urlconf, prefix):
    # `prefix` is part of the key only: django_reverse reads the same script prefix itself.
    return django_reverse(
        viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def _plain(values) -> bool:
    return all(type(value) in _PLAIN for value in values)


def reverse(viewname, args=None, kwargs=None, current_app=None) -> str:
    """django.urls.reverse() for a view name and plain arguments, remembered."""
    args = tuple(args or ())
    kwargs = kwargs or {}
    if not isinstance(viewname, str) or not _plain(args) or not _plain(kwargs.values()):
        return django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    return _remembered(
        viewname,
        args,
        tuple(sorted(kwargs.items())),
        current_app,
        # Tests swap ROOT_URLCONF with override_settings: a swapped URLconf is another key.
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )
