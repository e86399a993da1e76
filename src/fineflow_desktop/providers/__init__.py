"""LLM, embedding and fine-tuning provider adapters, credentials in the OS keyring, retry policy."""
