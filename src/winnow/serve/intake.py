"""From an HTTP request to an Order: what page, at what address, with which options.

``POST /extract`` takes three bodies:

- ``text/html`` — the page's bytes. A ``charset`` parameter is honoured;
  without one winnow detects the encoding as it does for files.
- ``text/plain`` — a flattened text dump (the second front door).
- ``application/json`` — ``{"html" | "text": str, "url": str, "options": {…}}``;
  with fetching enabled, ``{"url": …}`` alone asks the server to fetch the page.

The query string may carry ``format``, ``url`` and the options with any body;
a JSON body's own ``url`` and ``options`` override them. Anything not understood
is refused with a 4xx ApiError naming it — never guessed at and never ignored.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any, get_args

from winnow.options import Favor, InputKind, Options
from winnow.serve.errors import ApiError
from winnow.serve.worker import RENDERERS

# Media types a body may have, and the input kind each one means.
BODY_KINDS: Mapping[str, InputKind] = MappingProxyType(
    {"text/html": "html", "text/plain": "text", "application/json": "auto"}
)
JSON_KEYS = frozenset({"html", "text", "url", "options"})
# What Accept can ask for, per format; ``*/*`` and a missing Accept mean JSON.
FORMAT_MEDIA: Mapping[str, str] = MappingProxyType(
    {fmt: media.split(";")[0] for fmt, (media, _) in RENDERERS.items()}
)
DEFAULT_FORMAT = "json"
# Options a client may not set, and why.
FORBIDDEN_OPTIONS: Mapping[str, str] = MappingProxyType(
    {
        "input": "the input kind follows the Content-Type or the JSON key (html or text)",
        "model": "the classifier is chosen by whoever runs the server",
    }
)
# Digits a query integer may have: more is no real page size, and int() refuses
# strings past 4,300 digits with an error of its own.
MAX_INT_DIGITS = 18


@dataclass(frozen=True, slots=True)
class Order:
    """What to extract. ``page`` is None when the server must fetch ``url``."""

    page: bytes | str | None
    url: str | None
    options: Options
    format: str


def check_media_type(content_type: str | None) -> str:
    """The body's media type, if ``/extract`` takes it; checked before the body is read."""
    media, _ = parse_media_type(content_type)
    if media not in BODY_KINDS:
        raise ApiError(
            415,
            "unsupported-media-type",
            f"Content-Type must be one of {', '.join(sorted(BODY_KINDS))}, not {media or 'none'}",
        )
    return media


def order_from(
    content_type: str | None, body: bytes, query: list[tuple[str, str]], accept: str | None
) -> Order:
    media = check_media_type(content_type)
    _, params = parse_media_type(content_type)
    fields = _query_fields(query)
    fmt = choose_format(fields.pop("format", None), accept)
    url = fields.pop("url", None)
    options = options_from(fields, _query_value)
    if media == "application/json":
        return _json_order(body, fmt, url, options)
    page = _decode(body, params.get("charset"))
    return Order(page, url, replace(options, input=BODY_KINDS[media]), fmt)


def declared_over(content_length: str | None, cap: int) -> bool:
    """Whether a Content-Length header announces more than ``cap`` bytes.

    Compared as digits, so that a 5,000-digit length costs nothing to refuse.
    """
    if not content_length or not content_length.isascii() or not content_length.isdigit():
        return False
    digits = content_length.lstrip("0")
    return len(digits) > len(str(cap)) or int(digits or "0") > cap


def parse_media_type(value: str | None) -> tuple[str, dict[str, str]]:
    """``text/html; charset=UTF-8`` -> ("text/html", {"charset": "UTF-8"})."""
    if not value:
        return "", {}
    media, *rest = value.split(";")
    params = {}
    for item in rest:
        name, _, param = item.partition("=")
        params[name.strip().lower()] = param.strip().strip('"')
    return media.strip().lower(), params


def choose_format(requested: str | None, accept: str | None) -> str:
    """``?format=`` wins; otherwise the best media range of Accept that winnow can give."""
    if requested is not None:
        if requested not in FORMAT_MEDIA:
            raise ApiError(400, "bad-format", f"format must be one of {', '.join(FORMAT_MEDIA)}")
        return requested
    if not accept or not accept.strip():
        return DEFAULT_FORMAT
    for media in _ranked_media_ranges(accept):
        fmt = _format_for(media)
        if fmt is not None:
            return fmt
    raise ApiError(
        406,
        "not-acceptable",
        f"Accept allows none of {', '.join(FORMAT_MEDIA.values())}; or use ?format=",
    )


def _ranked_media_ranges(accept: str) -> list[str]:
    ranges: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        media, params = parse_media_type(item)
        try:
            quality = float(params.get("q", "1"))
        except ValueError:
            quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, position, media))
    return [media for _, _, media in sorted(ranges)]


def _format_for(media: str) -> str | None:
    if media in ("*/*", "application/*"):
        return DEFAULT_FORMAT
    if media == "text/*":
        return "text"
    for fmt, offered in FORMAT_MEDIA.items():
        if media == offered:
            return fmt
    return None


def _query_fields(query: list[tuple[str, str]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, value in query:
        if name in fields:
            raise ApiError(400, "repeated-parameter", f"query parameter {name!r} is given twice")
        fields[name] = value
    return fields


def _decode(body: bytes, charset: str | None) -> bytes | str:
    if charset is None:
        return body  # winnow detects the encoding, as for a file
    try:
        codecs.lookup(charset)
    except LookupError:
        raise ApiError(415, "unknown-charset", f"unknown charset {charset!r}") from None
    return body.decode(charset, errors="replace")


def _json_order(body: bytes, fmt: str, query_url: str | None, query_options: Options) -> Order:
    """The order a JSON body gives; its url and options override the query's."""
    data = _parse_json(body)
    if not isinstance(data, dict):
        raise ApiError(400, "bad-json", "the JSON body must be an object")
    unknown = sorted(set(data) - JSON_KEYS)
    if unknown:
        raise ApiError(
            400,
            "unknown-field",
            f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(JSON_KEYS))}",
        )
    url = data.get("url", query_url)
    if url is not None and not isinstance(url, str):
        raise ApiError(400, "bad-field", "url must be a string")
    options = data.get("options", {})
    if not isinstance(options, dict):
        raise ApiError(400, "bad-field", "options must be an object")
    opts = options_from(options, _json_value, query_options)
    given = [key for key in ("html", "text") if key in data]
    if len(given) > 1:
        raise ApiError(400, "bad-field", "give html or text, not both")
    if not given:
        if url is None:
            raise ApiError(400, "missing-field", "give html or text (or url, to fetch the page)")
        return Order(None, url, opts, fmt)
    kind: InputKind = "html" if given == ["html"] else "text"
    page = data[kind]
    if not isinstance(page, str):
        raise ApiError(400, "bad-field", f"{kind} must be a string")
    return Order(_valid_unicode(page), url and _valid_unicode(url), replace(opts, input=kind), fmt)


def _valid_unicode(text: str) -> str:
    """JSON may carry lone surrogates (``"\\ud800"``), which UTF-8 cannot hold: they become ?."""
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except RecursionError:  # json's C parser stops deep nesting this way
        raise ApiError(400, "bad-json", "the JSON body is nested too deeply") from None
    except ValueError as exc:  # UnicodeDecodeError is a ValueError too
        raise ApiError(400, "bad-json", f"the body is not valid JSON: {exc}") from None


def options_from(
    fields: Mapping[str, Any],
    value_of: Callable[[str, Any, type], Any],
    base: Options | None = None,
) -> Options:
    """``base`` changed by client-given fields; unknown, forbidden or ill-typed ones are refused."""
    opts = base or Options()
    changes: dict[str, Any] = {}
    for name, raw in fields.items():
        if name in FORBIDDEN_OPTIONS:
            raise ApiError(400, "forbidden-option", f"option {name!r}: {FORBIDDEN_OPTIONS[name]}")
        if name not in OPTION_TYPES:
            raise ApiError(
                400,
                "unknown-option",
                f"unknown option {name!r}; known: {', '.join(sorted(OPTION_TYPES))}",
            )
        changes[name] = _checked(name, value_of(name, raw, OPTION_TYPES[name]))
    return replace(opts, **changes)


# The options a client may set, and their types.
OPTION_TYPES: Mapping[str, type] = MappingProxyType(
    {"favor": str, "include_tables": bool, "include_figures": bool, "max_bytes": int}
)


def _checked(name: str, value: Any) -> Any:
    if name == "favor" and value not in get_args(Favor):
        raise ApiError(400, "bad-option", f"favor must be one of {', '.join(get_args(Favor))}")
    if name == "max_bytes" and value < 1:
        raise ApiError(400, "bad-option", "max_bytes must be a positive integer")
    return value


def _json_value(name: str, raw: Any, kind: type) -> Any:
    # bool is a subclass of int: max_bytes=true must not pass as 1.
    if not isinstance(raw, kind) or (kind is int and isinstance(raw, bool)):
        raise ApiError(400, "bad-option", f"option {name!r} must be a JSON {_TYPE_NAMES[kind]}")
    return raw


def _query_value(name: str, raw: str, kind: type) -> Any:
    if kind is bool:
        if raw not in ("true", "false"):
            raise ApiError(400, "bad-option", f"option {name!r} must be true or false")
        return raw == "true"
    if kind is int:
        if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_INT_DIGITS:
            raise ApiError(400, "bad-option", f"option {name!r} must be a positive integer")
        return int(raw)
    return raw


_TYPE_NAMES: Mapping[type, str] = MappingProxyType({str: "string", bool: "boolean", int: "integer"})
