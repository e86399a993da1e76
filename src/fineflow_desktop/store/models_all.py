"""Imports every model module so ``Base.metadata`` is complete (for Alembic and tests).

Each feature area that adds tables adds its ``models_*`` module to this list.
"""

from fineflow_desktop.store.models import Base  # noqa: F401
from fineflow_desktop.store import models  # noqa: F401
from fineflow_desktop.store import models_pairs  # noqa: F401
from fineflow_desktop.store import models_templates  # noqa: F401
from fineflow_desktop.store import models_providers  # noqa: F401
from fineflow_desktop.store import models_generation  # noqa: F401
from fineflow_desktop.store import models_retrieval  # noqa: F401
from fineflow_desktop.store import models_finetune  # noqa: F401
from fineflow_desktop.store import models_catalog  # noqa: F401
