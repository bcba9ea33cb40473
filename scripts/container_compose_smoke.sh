#!/bin/sh
# Run compose.yaml's whole set (db, redis, migrate, web, worker) on this machine and check it:
# the web healthcheck turns healthy, the demo loads, /zdrowie/ and the public project page answer
# through the published port, the worker finishes a queued task, `lider check-install` finds no
# error, /zdrowie/ says 503 while the database is stopped and 200 when it is back, and
# `docker compose stop` ends every container with exit 0. Then removes the set and its volumes.
# Takes minutes; not part of CI or of pytest. See docs/deployment.md, "Container".
#
#   scripts/container_compose_smoke.sh            # images: LIDER_IMAGE (built if missing), official db/redis
#   STANDINS=lider-base:bookworm scripts/container_compose_smoke.sh
#
# STANDINS builds test-only PostgreSQL and Redis images (scripts/container_standins) from that
# Debian base, for a machine without Docker Hub. COMPOSE defaults to `docker compose`, else
# `docker-compose`. The set runs as project lider-compose-smoke on port 127.0.0.1:${PORT:-8766}.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export LIDER_IMAGE=${LIDER_IMAGE:-lider:smoke}
export SECRET_KEY="compose-smoke-$(date +%s)-$$-not-secret" POSTGRES_PASSWORD="smoke-$$"
export ALLOWED_HOSTS=localhost SITE_URL=https://localhost WEB_WORKERS=2
export WEB_PORT=127.0.0.1:${PORT:-8766}
if [ -n "${STANDINS:-}" ]; then
	for service in postgres redis; do
		DOCKER_BUILDKIT=0 docker build --quiet --network host --build-arg BASE="$STANDINS" \
			--tag "lider-standin-$service" "scripts/container_standins/$service" >/dev/null
	done
	export POSTGRES_IMAGE=lider-standin-postgres REDIS_IMAGE=lider-standin-redis
fi
if [ -z "${COMPOSE:-}" ]; then
	if docker compose version >/dev/null 2>&1; then COMPOSE="docker compose"; else COMPOSE=docker-compose; fi
fi
compose() { $COMPOSE --project-name lider-compose-smoke "$@"; }
trap 'compose down --volumes >/dev/null 2>&1 || true' EXIT

started=$(date +%s)
step() { echo "== [$(($(date +%s) - started)) s] $*"; }
fail() { echo "FAILED: $*" >&2; compose logs --tail 30 >&2 || true; exit 1; }
get() {
	curl -sS -o /tmp/lider-compose-smoke.$$ -w '%{http_code}' -H 'Host: localhost' \
		-H 'X-Forwarded-Proto: https' "http://$WEB_PORT$1"
}
container() { compose ps -q "$1"; }

step "$COMPOSE up (image $LIDER_IMAGE, ${POSTGRES_IMAGE:-postgres:16-bookworm}, ${REDIS_IMAGE:-redis:7-bookworm})"
docker image inspect "$LIDER_IMAGE" >/dev/null 2>&1 || compose build
compose up --detach --no-build
i=0
until [ "$(docker inspect --format '{{.State.Health.Status}}' "$(container web)")" = healthy ]; do
	i=$((i + 1))
	[ $i -lt 60 ] || fail "web is not healthy after 2 minutes"
	sleep 2
done
step "web healthy; migrate exited $(docker inspect --format '{{.State.ExitCode}}' "$(container migrate)")"

step "lider demo (compose run migrate demo)"
compose run --rm migrate demo >/dev/null
[ "$(get /zdrowie/)" = 200 ] || fail "/zdrowie/ did not answer 200"
code=$(get /projekty/lider-na-rynku-ekonomii-spolecznej/)
[ "$code" = 200 ] || fail "the project page answered $code"
grep -q '<html lang="pl"' /tmp/lider-compose-smoke.$$ || fail "the project page is not in Polish"
grep -q 'Przejdź do treści' /tmp/lider-compose-smoke.$$ || fail "the catalogue is not used"
echo "/zdrowie/ 200, project page 200 in Polish, through $WEB_PORT"

step "the worker runs a queued task"
compose run --rm migrate send_later_reminders >/dev/null
i=0
until compose logs --no-color worker | grep -q 'send_later_reminders state=SUCCESSFUL'; do
	i=$((i + 1))
	[ $i -lt 30 ] || fail "the worker finished no task in a minute"
	sleep 2
done
compose run --rm migrate check-install --language en || fail "check-install reported an error"

step "database stopped: /zdrowie/ 503; started again: 200"
compose stop db >/dev/null 2>&1
[ "$(get /zdrowie/)" = 503 ] || fail "/zdrowie/ did not say 503 without the database"
compose start db >/dev/null 2>&1
i=0
until [ "$(get /zdrowie/)" = 200 ]; do
	i=$((i + 1))
	[ $i -lt 60 ] || fail "/zdrowie/ did not come back in a minute"
	sleep 1
done

step "$COMPOSE stop"
compose stop >/dev/null 2>&1
for service in db redis web worker; do
	code=$(docker inspect --format '{{.State.ExitCode}}' "$(container $service)")
	echo "$service: exit $code"
	[ "$code" = 0 ] || fail "$service exited $code"
done
rm -f /tmp/lider-compose-smoke.$$
step "all checks passed"
