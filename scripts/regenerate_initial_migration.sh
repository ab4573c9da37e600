#!/usr/bin/env bash
# Until the first release the schema is one migration, regenerated from the models.
# After a release, add revisions with `premises`-style autogenerate instead (see docs/architecture.md).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
exec 9>/tmp/premises-migration.lock; flock 9
rm -f src/premises/migrations/versions/0001_initial_schema.py
.venv/bin/python - "$tmp" <<'PY'
import sys
from alembic import command
from premises.db.migrate import alembic_config
url = f"sqlite:///{sys.argv[1]}/gen.sqlite3"
config = alembic_config(url)
command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
PY
mv src/premises/migrations/versions/*_0001_initial_schema.py src/premises/migrations/versions/0001_initial_schema.py
.venv/bin/ruff format -q src/premises/migrations/versions/0001_initial_schema.py
.venv/bin/ruff check -q --fix src/premises/migrations/versions/0001_initial_schema.py || true
rm -rf "$tmp"
echo "regenerated src/premises/migrations/versions/0001_initial_schema.py"
