"""One form as the fuzz test sees it: where it is, what each field may be, and the body it gets."""

from dataclasses import dataclass, field
from functools import cached_property

from hypothesis import strategies as st

from tests.fuzz.strategies import OMIT, Upload, extra_fields


@dataclass
class Form:
    """One view that takes input: where it is, as whom, and what each field may be."""

    name: str  # the URL name, or the URL name and a variant ("letters:gift new")
    url: object  # World -> path
    fields: dict = field(default_factory=dict)  # field name -> strategy
    valid: dict = field(default_factory=dict)  # a submission that passes, the base of each case
    method: str = "post"
    anonymous: bool = False
    files: dict = field(default_factory=dict)  # file field name -> strategy of Upload

    @cached_property
    def strategy(self) -> st.SearchStrategy:
        """Some fields to replace by fuzz, and extra fields; `merge` makes the submission."""
        names = sorted(self.fields) + sorted(self.files)
        every = self.fields | self.files
        chosen = st.sets(st.sampled_from(names)) if names else st.just(set())
        return st.tuples(
            chosen.flatmap(lambda c: st.fixed_dictionaries({n: every[n] for n in sorted(c)})),
            extra_fields if self.method == "post" else st.just({}),
        )

    def merge(self, fuzzed: dict, extra: dict) -> dict:
        """The valid submission with the fuzzed fields replaced, and the extra fields added."""
        own = set(self.fields) | set(self.files) | set(self.valid)
        data = {name: value for name, value in extra.items() if name not in own}
        data |= self.valid | fuzzed
        return {name: value for name, value in data.items() if value is not OMIT}


BOUNDARY = "FuzzBoundary7MA4YWxkTrZu0gW"


def multipart(pairs: list[tuple[str, object]]) -> bytes:
    """A multipart body as a browser (or anyone) might send it: file names go out exactly as
    drawn, quotes, line breaks, ".." and all, which Django's test client would refuse to send."""
    lines = []
    for name, value in pairs:
        lines.append(f"--{BOUNDARY}".encode())
        disposition = f'Content-Disposition: form-data; name="{name}"'
        if isinstance(value, Upload):
            lines.append(f'{disposition}; filename="{value.name}"'.encode(errors="replace"))
            lines.append(b"Content-Type: application/octet-stream")
            body = value.body
        else:
            lines.append(disposition.encode())
            body = value if isinstance(value, bytes) else value.encode()
        lines += [b"", body]
    lines += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(lines)
