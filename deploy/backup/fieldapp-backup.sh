#!/usr/bin/env bash
# The nightly backup (deploy/systemd/fieldapp-backup.timer, and the Kubernetes CronJob):
# a pg_dump of DATABASE_URL in PostgreSQL's custom format into BACKUP_DIR, then dumps older
# than BACKUP_KEEP_DAYS are deleted (the one just made is never among them).
# The dump holds the notes only as Fernet tokens: the keys are backed up apart from it,
# encrypted (`manage.py keys_backup`, deploy/README.md).
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL is not set: load /etc/fieldapp/fieldapp.env first}"
dir="${BACKUP_DIR:-/srv/fieldapp/backups}"
keep_days="${BACKUP_KEEP_DAYS:-14}"

umask 077
mkdir -p "$dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
partial="$dir/.fieldapp-$stamp.dump.partial"
trap 'rm -f "$partial"' EXIT
# A dump is written whole or not at all: a half-written one would be "the latest".
pg_dump --format=custom --no-owner --no-privileges --file="$partial" "$DATABASE_URL"
mv "$partial" "$dir/fieldapp-$stamp.dump"
echo "backup: $dir/fieldapp-$stamp.dump ($(stat -c %s "$dir/fieldapp-$stamp.dump") bytes)"
find "$dir" -maxdepth 1 -name 'fieldapp-*.dump' -mtime +"$keep_days" -print -delete |
  sed 's/^/removed: /'
