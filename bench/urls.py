"""The product's URLs plus two reference pages that exist only for the benches.

`bench/bare/`: the cheapest page a signed-in person can get, through every middleware, the
session and the user lookup, with no template; the pages' costs are measured against it.
`bench/layout/`: the base layout with nothing in it, the fixed cost every page pays.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns

BARE_PATH = "/bench/bare/"
LAYOUT_PATH = "/bench/layout/"


@login_required
def bare(request):
    return HttpResponse("ok")


@login_required
def layout(request):
    return render(request, "base.html")


urlpatterns = [
    path(BARE_PATH.strip("/") + "/", bare),
    path(LAYOUT_PATH.strip("/") + "/", layout),
    *product_urlpatterns,
]
