"""Remembered links: the same URL as Django's reverse(), and a swapped URLconf is not mixed up."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, path
from django.urls import reverse as django_reverse

from followup.core.reversing import reverse


def test_a_remembered_link_is_django_s():
    for args in ([7], [8], ["7"]):
        assert reverse("applications:detail", args=args) == django_reverse(
            "applications:detail", args=args
        )
    assert reverse("home") == "/"
    assert reverse("coaching:invitation", kwargs={"token": "a b"}) == django_reverse(
        "coaching:invitation", kwargs={"token": "a b"}
    )


def test_an_unknown_name_or_wrong_arguments_still_fail():
    with pytest.raises(NoReverseMatch):
        reverse("applications:detail", args=["x"])
    with pytest.raises(NoReverseMatch):
        reverse("no-such-page")


def other(request):
    raise AssertionError("never called")


urlpatterns = [path("elsewhere/<int:pk>/", other, name="detail")]


def test_a_swapped_urlconf_gets_its_own_links():
    assert reverse("applications:detail", args=[3]) == "/applications/3/"
    with override_settings(ROOT_URLCONF=__name__):
        assert reverse("detail", args=[3]) == "/elsewhere/3/"
        with pytest.raises(NoReverseMatch):
            reverse("applications:detail", args=[3])
    assert reverse("applications:detail", args=[3]) == "/applications/3/"


def test_the_url_tag_is_the_remembered_one_and_behaves_as_django_s():
    template = Template(
        "{% url 'applications:detail' pk %}|{% url 'nothing' as missing %}[{{ missing }}]"
        "|{% url 'applications:list' as lst %}{{ lst }}"
    )
    assert template.render(Context({"pk": 5})) == "/applications/5/|[]|/applications/"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'nothing' %}").render(Context())
    assert type(Template("{% url 'home' %}").nodelist[0]).__name__ == "RememberedURLNode"
