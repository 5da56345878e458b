"""The environment for a `qa` child process in the fault and load scripts: offline, quiet, one data folder.

The caller's own `QA_*` settings are dropped so a script measures the defaults it documents; hub
downloads, telemetry and analytics are off. It does not start processes itself.
"""

from __future__ import annotations

import os
from pathlib import Path


def offline_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(
        QA_DATA_DIR=str(data_dir),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
        TOKENIZERS_PARALLELISM="false",
        **extra,
    )
    return env
