"""Fine-tuning providers behind one interface (``base.FineTuningProvider``), one adapter per
provider on its official SDK: ``openai_ft`` (openai), ``together_ft`` (together),
``fireworks_ft`` (fireworks-ai). ``registry.provider_for(name, api_key, base_url, ...)`` builds one."""
