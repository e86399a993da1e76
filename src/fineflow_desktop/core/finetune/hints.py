"""Plain-words hints for provider job errors (shown under the provider's message, which is kept as is)."""

from __future__ import annotations

_BY_CODE = {
    "invalid_training_file": "The provider could not use the training file. Check the line it names in the Validate pane, fix or drop that pair, and launch again.",
    "invalid_validation_file": "The provider could not use the validation file. Check the line it names, or launch without a validation split.",
    "invalid_file": "The file id the job refers to is not usable (deleted, wrong purpose, or still processing).",
    "invalid_n_examples": "The file has too few examples for this provider; add examples and launch again.",
    "exceeded_quota": "The account has no quota left for training; check billing at the provider.",
    "insufficient_quota": "The account has no quota left for training; check billing at the provider.",
    "model_not_available": "This base model cannot be fine-tuned with this key; pick another base model.",
    "deleted_at_provider": "The provider no longer knows this job (it was deleted there). Its local history is kept.",
    "user_error": "The provider rejected the job because of its input (file or hyperparameters).",
    "INVALID_ARGUMENT": "The provider rejected an input of the job (file or hyperparameters).",
    "RESOURCE_EXHAUSTED": "The account ran out of quota or capacity at the provider.",
    "PERMISSION_DENIED": "The key may not run this job (account or model permissions).",
}
_BY_PARAM = {
    "training_file": "The problem is in the training file.",
    "validation_file": "The problem is in the validation file.",
    "model": "The problem is the base model name.",
}


def hint_for(code: str | None, param: str | None = None, message: str = "") -> str:
    """A sentence explaining the error in plain words (empty when nothing useful is known)."""
    if code and code in _BY_CODE:
        return _BY_CODE[code]
    lowered = (message or "").lower()
    if "training file" in lowered or "jsonl" in lowered:
        return _BY_CODE["invalid_training_file"]
    if "quota" in lowered or "billing" in lowered or "credit" in lowered:
        return _BY_CODE["insufficient_quota"]
    return _BY_PARAM.get(param or "", "")
