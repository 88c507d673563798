"""The OpenAPI 3.1 description of the service, served at ``/openapi.json``.

Written out by hand so that it says exactly what the app does (three request
media types, four response formats, every error status); tests/serve runs
schemathesis against a live server to keep the two in step.
"""

from __future__ import annotations

from typing import Any, get_args

from winnow import __version__
from winnow.options import Favor
from winnow.serve.config import ServeConfig
from winnow.serve.intake import FORMAT_MEDIA, MAX_INT_DIGITS
from winnow.stages.pagetype import PAGE_TYPES
from winnow.stages.render import DOCUMENT_KEYS

NULLABLE_STRING = {"type": ["string", "null"]}
OBJECT = {"type": "object"}
STRINGS = {"type": "array", "items": {"type": "string"}}
BIGGEST_QUERY_INT = 10**MAX_INT_DIGITS - 1

DOCUMENT = {
    "type": "object",
    "description": "Document.to_dict(): every key always present (docs/schema.md).",
    "required": list(DOCUMENT_KEYS),
    "additionalProperties": False,
    "properties": {
        **{
            key: NULLABLE_STRING
            for key in (
                "url",
                "title",
                "kicker",
                "subtitle",
                "published",
                "updated",
                "dateline",
                "site_name",
                "language",
                "description",
                "image",
            )
        },
        "authors": STRINGS,
        "tags": STRINGS,
        "page_type": {"enum": [*PAGE_TYPES, None]},
        "text": {"type": "string"},
        "blocks": {"type": "array", "items": {"$ref": "#/components/schemas/Block"}},
        "removed": {"type": "array", "items": {"$ref": "#/components/schemas/Decision"}},
        "sources": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}

BLOCK = {
    "type": "object",
    "required": ["kind", "text"],
    "additionalProperties": False,
    "properties": {
        "kind": {"enum": ["heading", "paragraph", "list", "quote", "table", "code", "figure"]},
        "text": {"type": "string"},
        "level": {"type": "integer", "minimum": 1, "maximum": 6},
        "items": STRINGS,
        "ordered": {"type": "boolean"},
        "rows": {"type": "array", "items": STRINGS},
        "header": {"type": "boolean"},
        "caption": {"type": "string"},
        "credit": {"type": "string"},
        "src": {"type": "string"},
        "language": {"type": "string"},
    },
}

DECISION = {
    "type": "object",
    "required": ["stage", "rule", "reason", "text"],
    "additionalProperties": False,
    "properties": {key: {"type": "string"} for key in ("stage", "rule", "reason", "text")},
}

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "reason", "message"],
            "properties": {
                "status": {"type": "integer"},
                "reason": {"type": "string", "description": "Stable and short, e.g. bad-json."},
                "message": {"type": "string"},
            },
        }
    },
}

FAVOR = {"enum": list(get_args(Favor))}
OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "favor": FAVOR,
        "include_tables": {"type": "boolean"},
        "include_figures": {"type": "boolean"},
        "max_bytes": {"type": "integer", "minimum": 1},
    },
}


def _page_request(key: str, what: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": what,
        "required": [key],
        "additionalProperties": False,
        "properties": {
            key: {"type": "string"},
            "url": NULLABLE_STRING,
            "options": {"$ref": "#/components/schemas/Options"},
        },
    }


EXTRACT_REQUEST = {
    "oneOf": [
        _page_request("html", "An HTML page."),
        _page_request("text", "A flattened text dump of a page."),
        {
            "type": "object",
            "description": "Fetch the page at url (only when the server runs with --allow-fetch).",
            "required": ["url"],
            "additionalProperties": False,
            "properties": {
                "url": {"type": "string"},
                "options": {"$ref": "#/components/schemas/Options"},
            },
        },
    ]
}


def _query(name: str, schema: dict[str, Any], what: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": what}


BODY_WINS = " A JSON body's own value overrides it."
EXTRACT_PARAMETERS = [
    _query("format", {"enum": list(FORMAT_MEDIA)}, "The response format; overrides Accept."),
    _query("url", {"type": "string"}, "The page's address, for resolving links." + BODY_WINS),
    _query("favor", FAVOR, "Keep less or more." + BODY_WINS),
    _query("include_tables", {"type": "boolean"}, "Keep tables." + BODY_WINS),
    _query("include_figures", {"type": "boolean"}, "Keep figures." + BODY_WINS),
    _query(
        "max_bytes",
        {"type": "integer", "minimum": 1, "maximum": BIGGEST_QUERY_INT},
        "Extract from at most this many bytes of the page." + BODY_WINS,
    ),
]


def _error(what: str) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/Error"}
    return {"description": what, "content": {"application/json": {"schema": ref}}}


def _extract_errors(config: ServeConfig) -> dict[str, Any]:
    return {
        "400": _error("Malformed JSON, an unknown field, option or parameter, a bad value."),
        "403": _error("A fetch that is disabled, or refused (scheme or address)."),
        "406": _error("Accept allows none of the formats."),
        "408": _error(f"The body did not arrive within the {config.timeout} s budget."),
        "413": _error(f"The body is larger than {config.max_body} bytes."),
        "415": _error("A Content-Type or charset that /extract does not take."),
        "422": _error("The body cannot be read as a page (binary data, for example)."),
        "502": _error("A fetched page failed: its server's error, too large, broken HTTP."),
        "504": _error(f"Fetching or extraction did not finish within {config.timeout} s."),
    }


def _extract(config: ServeConfig) -> dict[str, Any]:
    text = {"schema": {"type": "string"}}
    # A raw body is any bytes: the page as crawled, in any encoding.
    raw = {"schema": {"type": "string", "format": "binary"}}
    return {
        "summary": "Extract the main content and metadata of one page.",
        "parameters": EXTRACT_PARAMETERS,
        "requestBody": {
            "required": True,
            "content": {
                "text/html": raw,
                "text/plain": raw,
                "application/json": {"schema": {"$ref": "#/components/schemas/ExtractRequest"}},
            },
        },
        "responses": {
            "200": {
                "description": "The Document: JSON (the default), Markdown, text or HTML.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Document"}},
                    "text/markdown": text,
                    "text/plain": text,
                    "text/html": text,
                },
            },
            **_extract_errors(config),
        },
    }


HEALTH = {
    "type": "object",
    "required": ["status", "workers", "size"],
    "properties": {
        "status": {"enum": ["ok", "degraded", "down"]},
        "workers": {"type": "integer", "description": "Extraction workers alive."},
        "size": {"type": "integer", "description": "Extraction workers configured."},
    },
}


def _get(summary: str, media: str, schema: dict[str, Any]) -> dict[str, Any]:
    ok = {"description": summary, "content": {media: {"schema": schema}}}
    return {"summary": summary, "responses": {"200": ok}}


def spec(config: ServeConfig) -> dict[str, Any]:
    """The OpenAPI document for a service run with ``config``."""
    health = _get("Whether the extraction workers are up.", "application/json", HEALTH)
    health["responses"]["503"] = {
        "description": "No worker is alive.",
        "content": {"application/json": {"schema": HEALTH}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "winnow", "version": __version__},
        "paths": {
            "/extract": {"post": _extract(config)},
            "/healthz": {"get": health},
            "/metrics": {"get": _get("Prometheus metrics.", "text/plain", {"type": "string"})},
            "/openapi.json": {"get": _get("This document.", "application/json", OBJECT)},
        },
        "components": {
            "schemas": {
                "Document": DOCUMENT,
                "Block": BLOCK,
                "Decision": DECISION,
                "Error": ERROR,
                "Options": OPTIONS,
                "ExtractRequest": EXTRACT_REQUEST,
            }
        },
    }
