"""Fine-tuning domain rules (Qt-free, no I/O except reading shipped data): job states and the
provider status table (``states``), the cookbook auto-epoch rule and cost (``cost``), the
budget guard (``budget``), poll backoff (``backoff``)."""
