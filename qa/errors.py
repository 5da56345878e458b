"""Re-export of the exception family so that `qa` callers need not know it lives in `vectorstore`."""

from vectorstore.errors import InputError, ModelError, QAError, StoreError

__all__ = ["InputError", "ModelError", "QAError", "StoreError"]
