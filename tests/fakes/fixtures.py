"""pytest fixtures for the fakes. Import them into a test module::

    from fakes.fixtures import openai_fake, anthropic_fake  # noqa: F401

Each yields a started fake with ``api_key`` ``OPENAI_TEST_KEY`` / ``ANTHROPIC_TEST_KEY`` and
fails the test if a request violated the API spec.
"""

from __future__ import annotations

import pytest

from .anthropic_fake import AnthropicFake
from .ft_sim import Timing
from .openai_fake import OpenAIFake
from .openai_ft_fake import OpenAIFineTuneFake

OPENAI_TEST_KEY = "sk-test-SECRET123456"
ANTHROPIC_TEST_KEY = "sk-ant-test-SECRET654321"


@pytest.fixture
def openai_fake():
    with OpenAIFake(api_key=OPENAI_TEST_KEY, hang_s=5.0) as fake:
        yield fake
        assert fake.violations == [], fake.violations


@pytest.fixture
def anthropic_fake():
    with AnthropicFake(api_key=ANTHROPIC_TEST_KEY, hang_s=5.0) as fake:
        yield fake
        assert fake.violations == [], fake.violations


FAST_TIMING = Timing(validate_s=0.05, queue_s=0.05, step_s=0.005)


@pytest.fixture
def openai_ft_fake():
    """OpenAI fine-tuning fake (key ``finetune_helpers.TEST_KEY``), fast timeline; spec-checked."""
    from finetune_helpers import TEST_KEY

    with OpenAIFineTuneFake(api_key=TEST_KEY, hang_s=5.0, timing=Timing(0.05, 0.05, 0.005), retry_after_s=0.2) as fake:
        yield fake
        assert fake.violations == [], fake.violations


@pytest.fixture
def together_fake():
    """Together fine-tuning fake (key ``finetune_helpers.TEST_KEY``), fast timeline; spec-checked."""
    from finetune_helpers import TEST_KEY

    from .together_fake import TogetherFake

    with TogetherFake(api_key=TEST_KEY, hang_s=5.0, timing=Timing(0.05, 0.05, 0.005), retry_after_s=0.2) as fake:
        yield fake
        assert fake.violations == [], fake.violations


@pytest.fixture
def fireworks_fake():
    """Fireworks fine-tuning fake (key ``finetune_helpers.TEST_KEY``, account ``fake-acct``); SDK-typed."""
    from finetune_helpers import TEST_KEY

    from .fireworks_fake import FireworksFake

    with FireworksFake(api_key=TEST_KEY, hang_s=5.0, timing=Timing(0.05, 0.05, 0.005), retry_after_s=0.2) as fake:
        yield fake
        assert fake.violations == [], fake.violations
