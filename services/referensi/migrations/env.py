from services.referensi.uow import metadata
from sipd_common.migrations import run_env

run_env(metadata)
