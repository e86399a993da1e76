"""Qt-free domain logic. Never import Qt here (checked by tests/test_architecture.py)."""
