#!/usr/bin/env bash
# `make restore-check`: is the latest dump a backup? It is restored into a scratch database
# beside DATABASE_URL's (never over it), Django's migrations check runs against it (and the
# start-up checks, so FIELD_ENCRYPTION_KEY must open its notes), the rows of every table are
# counted, and the scratch database is dropped. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${DATABASE_URL:?DATABASE_URL is not set: the scratch database goes on the same server}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "restore-check: DATABASE_URL must be PostgreSQL (the dumps are pg_dump's)" >&2; exit 2 ;;
esac
dir="${BACKUP_DIR:-/srv/fieldapp/backups}"
python="${FIELDAPP_PYTHON:-.venv/bin/python}"
scratch="${RESTORE_CHECK_DB:-fieldapp_restore_check}"
server="${DATABASE_URL%/*}"
query=""
[[ "$DATABASE_URL" == *\?* ]] && query="?${DATABASE_URL#*\?}"

latest="$(find "$dir" -maxdepth 1 -name 'fieldapp-*.dump' | sort | tail -n 1)"
if [ -z "$latest" ]; then
  echo "restore-check: no fieldapp-*.dump in $dir" >&2
  exit 1
fi
echo "restore-check: $latest"

psql "$server/postgres$query" -q -v ON_ERROR_STOP=1 \
  -c "DROP DATABASE IF EXISTS \"$scratch\"" -c "CREATE DATABASE \"$scratch\""
trap 'psql "$server/postgres$query" -q -c "DROP DATABASE IF EXISTS \"$scratch\""' EXIT
scratch_url="$server/$scratch$query"

pg_restore --no-owner --no-privileges --exit-on-error --dbname="$scratch_url" "$latest"
DATABASE_URL="$scratch_url" "$python" manage.py migrate --check >/dev/null
echo "migrations: all applied"
psql "$scratch_url" -At -F ': ' -v ON_ERROR_STOP=1 <<'SQL'
SELECT table_name,
       (xpath('/row/c/text()',
              query_to_xml(format('SELECT count(*) AS c FROM public.%I', table_name),
                           false, true, '')))[1]::text::bigint
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name;
SQL
echo "restore-check: ok"
