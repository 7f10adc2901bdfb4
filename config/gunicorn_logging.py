"""gunicorn's logger with the keys in addresses hidden (see config/log_secrets.py).

Separate from the Django logging filter so that nothing but gunicorn imports gunicorn.
"""

from gunicorn.glogging import Logger

from config.log_secrets import redact


class AccessLogger(Logger):
    """gunicorn's logger, with the keys hidden in the request line, path and referrer."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("r", "U", "f", "{referer}i"):
            if isinstance(atoms.get(name), str):
                atoms[name] = redact(atoms[name])
        return atoms
