"""The character n-gram model scores a text at run time exactly as scikit-learn scored it in training."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from civicshield.core.heads import ModelError
from civicshield.core.learning import grouped_folds
from civicshield.core.surface import SurfaceModel, _vectorizer, fit_surface

TEXTS = ["you can vote by text this year", "vote by sms, send the name to 55555", "FAKE: you cannot vote by text",
         "texting is not voting, it's a scam", "polls open at 7am", "bring your own pen, pencils get erased",
         "pencils are fine, nothing gets erased", "votez par SMS dès aujourd'hui", "on ne vote pas par SMS",
         "短信投票已经开放", "不能用短信投票"] * 3
LABELS = [1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0] * 3


def test_run_time_scores_equal_the_training_pipeline(tmp_path):
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    blob, out_of_fold = fit_surface(TEXTS, LABELS, grouped_folds(LABELS), str.casefold)
    assert out_of_fold.shape == (len(TEXTS),)
    path = tmp_path / "surface.npz"
    path.write_bytes(blob)
    model = SurfaceModel.load(path, hashlib.sha256(blob).hexdigest(), str.casefold)
    counts = _vectorizer(str.casefold).transform(TEXTS)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    reference = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced").fit(tfidf.transform(counts), LABELS)
    for text in ["vote by text now", "no, you cannot vote by SMS", "", "🙂", "用短信投票"]:
        expected = float(reference.decision_function(tfidf.transform(_vectorizer(str.casefold).transform([text])))[0])
        assert model.logit(text) == pytest.approx(np.clip(expected, -12, 12), abs=1e-4)
    # and the same data gives the same file (so the hash a head records stays valid on retraining)
    assert fit_surface(TEXTS, LABELS, grouped_folds(LABELS), str.casefold)[0] == blob


def test_a_surface_model_that_does_not_match_its_hash_is_refused(tmp_path):
    blob, _ = fit_surface(TEXTS, LABELS, grouped_folds(LABELS), str.casefold)
    path = tmp_path / "surface.npz"
    path.write_bytes(blob)
    with pytest.raises(ModelError, match="SHA-256"):
        SurfaceModel.load(path, "0" * 64, str.casefold)
