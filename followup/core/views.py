from django.shortcuts import render


def home(request):
    """Show the dashboard to a signed-in person and the landing page to a visitor."""
    if request.user.is_authenticated:
        return render(request, "core/dashboard.html")
    return render(request, "core/landing.html")
