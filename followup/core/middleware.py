from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    """Mark every response to a signed-in person `Cache-Control: private, no-store`.

    Such pages hold someone's applications, letters and contacts: without it a shared proxy
    may keep them and a browser writes them to disk (and shows them again with Back after
    logging out). Vary: Cookie alone does not say either. Static files are answered by
    WhiteNoise before this runs and keep their long caching; a visitor's pages stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
