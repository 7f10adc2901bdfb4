"""The home page: what the product does for a visitor, the dashboard for a signed-in person."""

from django.urls import reverse


def test_visitor_sees_what_the_product_does(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b"thank-you letter" in response.content
    assert reverse("account_signup").encode() in response.content


def test_signed_in_person_sees_their_dashboard(owner_client):
    response = owner_client.get("/")
    assert response.status_code == 200
    assert b"Hello, Olivia" in response.content
    assert b'<main id="main"' in response.content
