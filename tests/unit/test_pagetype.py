"""The page type: its classifier, its place in the Document, and the documentation rule."""

from __future__ import annotations

import io

import numpy as np
import pytest

import winnow
from winnow.errors import ExtractionError
from winnow.stages import features
from winnow.stages.blocks import segment
from winnow.stages.pagetype import (
    PAGE_FEATURE_NAMES,
    PAGE_TYPES,
    load_type_model,
    page_features,
    type_model,
)
from winnow.stages.parse import content_root, parse_html
from winnow.stages.render import DOCUMENT_KEYS
from winnow.stages.select import BETAS, DOCUMENTATION_BETA, expected_best, select

PARAGRAPH = (
    "The harbour board met on Tuesday evening to decide the future of the old ferry pier, "
    "which has stood on the east side of the bay for more than a hundred years. "
)
ARTICLE = (
    "<html><head><title>Harbour board votes to rebuild the ferry pier</title>"
    '<script type="application/ld+json">{"@type": "NewsArticle", '
    '"headline": "Harbour board votes to rebuild the ferry pier", '
    '"datePublished": "2024-05-01", "author": {"name": "Ana Lopes"}}</script></head>'
    "<body><nav><a href='/'>Home</a> <a href='/news/'>News</a></nav>"
    "<article><h1>Harbour board votes to rebuild the ferry pier</h1>"
    "<p class='byline'>By Ana Lopes, May 1, 2024</p>"
    + "".join(f"<p>{PARAGRAPH * 3}</p>" for _ in range(6))
    + "</article><footer>© 2024 Coastal Ledger</footer></body></html>"
)
CODE = "def connect(host, port=5432):\n    client = Client(host, port)\n    return client.open()\n"
DOCS = (
    "<html><head><title>Client.connect — tidepool 2.1 documentation</title></head><body>"
    "<nav><a href='/docs/'>Docs</a> <a href='/docs/api/'>API</a> <a href='/docs/guide/'>Guide</a>"
    "</nav><main><h1>Connecting to a server</h1>"
    "<p>Use <code>Client.connect</code> to open a connection to a tidepool server.</p>"
    + "".join(
        f"<h2>connect_{i}(host, port)</h2><p>Opens a connection. Returns a Client.</p>"
        f"<pre><code>{CODE}</code></pre>"
        "<table><tr><th>Parameter</th><th>Type</th><th>Default</th></tr>"
        "<tr><td>host</td><td>str</td><td>required</td></tr>"
        "<tr><td>port</td><td>int</td><td>5432</td></tr></table>"
        for i in range(6)
    )
    + "</main></body></html>"
)


def test_page_type_is_a_document_key_after_tags() -> None:
    keys = list(DOCUMENT_KEYS)
    assert keys.index("page_type") == keys.index("tags") + 1
    assert winnow.Document().to_dict()["page_type"] is None


def test_an_article_reads_as_an_article() -> None:
    doc = winnow.extract(ARTICLE, url="https://ledger.example/news/2024/05/01/pier")
    assert doc.page_type == "article"
    assert doc.to_dict()["page_type"] == "article"


def test_an_api_reference_reads_as_documentation() -> None:
    doc = winnow.extract(DOCS, url="https://tidepool.example/docs/api/client/")
    assert doc.page_type == "documentation"


def test_page_type_is_deterministic() -> None:
    first = winnow.extract(DOCS, url="https://tidepool.example/docs/api/client/").to_dict()
    assert winnow.extract(DOCS, url="https://tidepool.example/docs/api/client/").to_dict() == first


def test_a_page_without_content_has_no_type() -> None:
    assert winnow.extract("<html><body></body></html>").page_type is None
    nav_only = "<body><nav><a href='/a'>Home</a> <a href='/b'>About</a></nav></body>"
    assert winnow.extract(nav_only).page_type is None


def test_text_dumps_have_no_type() -> None:
    assert winnow.extract(PARAGRAPH * 4, input="text").page_type is None


def test_page_features_average_the_rows_three_ways() -> None:
    X = np.zeros((2, len(features.MEASURED_NAMES)), dtype=np.float32)
    words = features.MEASURED_NAMES.index("log_words")
    X[:, words] = np.log1p([1.0, 3.0])  # 2 and 4 words, counting the +1
    digits = features.MEASURED_NAMES.index("digit_ratio")
    X[:, digits] = [1.0, 0.0]
    row = page_features(X, np.array([1.0, 0.0]))
    assert row.shape == (1, len(PAGE_FEATURE_NAMES))
    column = {name: row[0, i] for i, name in enumerate(PAGE_FEATURE_NAMES)}
    assert column["blocks_digit_ratio"] == pytest.approx(0.5)
    assert column["words_digit_ratio"] == pytest.approx(2 / 6)
    assert column["content_digit_ratio"] == pytest.approx(1.0)


def test_the_shipped_model_has_one_forest_per_type() -> None:
    model = type_model()
    assert model.classes == PAGE_TYPES
    assert len(model.forests) == len(PAGE_TYPES)


def test_a_model_for_other_features_is_refused() -> None:
    buffer = io.BytesIO()
    np.savez(buffer, names=np.asarray(["log_chars"]), classes=np.asarray(PAGE_TYPES))
    with pytest.raises(ExtractionError, match="retrain"):
        load_type_model(buffer.getvalue())


# --- documentation pages lean to recall -------------------------------------------


def test_documentation_beta_keeps_an_uncertain_block_the_default_drops() -> None:
    # A sure block of 100 words and an uncertain one of 100: at beta 1 the
    # expected F1 is best with the sure block alone; at the documentation beta
    # (recall weighs more) it is best with both.
    scores, words = np.array([0.95, 0.33]), np.array([100.0, 100.0])
    assert expected_best(scores, words, BETAS["balanced"]).tolist() == [True, False]
    beta = BETAS["balanced"] * DOCUMENTATION_BETA
    assert expected_best(scores, words, beta).tolist() == [True, True]


def test_select_applies_the_documentation_beta_only_to_documentation() -> None:
    page = segment(content_root(parse_html("<body><p>Sure block.</p><p>Unsure block.</p></body>")))
    scores, words = np.array([0.95, 0.33]), np.array([100.0, 100.0])
    for page_type in (None, *PAGE_TYPES):
        kept, dropped = select(page, scores, words, "balanced", page_type=page_type)
        assert kept == ([0, 1] if page_type == "documentation" else [0])
        assert len(dropped) == 2 - len(kept)
