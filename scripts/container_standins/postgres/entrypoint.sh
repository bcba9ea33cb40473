#!/bin/sh
# A stand-in for the official image's entrypoint: POSTGRES_USER/PASSWORD/DB on the first start.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
	printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pw
	initdb --username="$POSTGRES_USER" --pwfile=/tmp/pw --auth-local=trust --auth-host=scram-sha-256 -D "$PGDATA" >/dev/null
	rm /tmp/pw
	echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
	echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
	pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" start >/dev/null
	createdb --username="$POSTGRES_USER" "$POSTGRES_DB"
	pg_ctl -D "$PGDATA" -w stop >/dev/null
fi
exec "$@"
