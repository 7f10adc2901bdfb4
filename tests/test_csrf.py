"""Every view refuses a POST without a CSRF token: walked over the whole URL configuration."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

# RFC 8058 one-click unsubscribe is posted by mail clients with no cookies: signed URL instead.
CSRF_EXEMPT = {"reminders:unsubscribe"}
SKIPPED_NAMESPACES = {"admin"}  # Django's own, and staff-only; its CSRF is Django's concern.


def all_patterns():
    found = []

    def walk(patterns, namespace, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                if inner not in SKIPPED_NAMESPACES:
                    walk(entry.url_patterns, inner, prefix)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((f"{namespace}:{entry.name}" if namespace else entry.name, entry))

    walk(get_resolver().url_patterns, None, "")
    return sorted({name: entry for name, entry in found}.items())


def kwargs_for(entry: URLPattern) -> dict:
    converters = getattr(entry.pattern, "converters", {})
    names = set(converters) | set(entry.pattern.regex.groupindex)  # path() and re_path()
    return {key: 1 if isinstance(converters.get(key), IntConverter) else "x" for key in names}


PATTERNS = all_patterns()


def test_the_walk_finds_the_state_changing_views():
    names = {name for name, _ in PATTERNS}
    assert {"letters:mark_sent", "applications:status", "account_login"} <= names


@pytest.mark.parametrize("name, entry", PATTERNS, ids=[name for name, _ in PATTERNS])
def test_post_without_a_csrf_token_is_refused(db, owner, name, entry):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    url = reverse(name, kwargs=kwargs_for(entry))
    response = client.post(url, {"name": "x"})
    if name in CSRF_EXEMPT:
        assert response.status_code != 403
    else:
        assert response.status_code == 403, f"{name} accepted a POST without a CSRF token"
