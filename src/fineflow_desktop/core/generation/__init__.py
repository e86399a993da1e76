"""LLM pair generation, Qt-free: prompt templates, output parsing, sanitizing, run estimates."""
