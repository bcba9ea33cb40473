#!/bin/sh
# Build Lider's container image and try it against a PostgreSQL and a Redis on this machine:
# migrate, load the demo, serve (gunicorn), check /zdrowie/, the public project page in Polish
# and a static file, run the worker on a queued task, and stop both containers. Takes minutes;
# not part of CI or of pytest. Prints each step's time and the image size; exits non-zero on
# the first failure. See docs/deployment.md, "Container".
#
#   scripts/container_smoke.sh [BASE]     # default python:3.11-slim-bookworm
#
# BASE may be a local image (scripts/container_base.sh builds one with debootstrap). The
# containers use the host's network, so the database and Redis are the host's:
#   DATABASE_URL  default postgres://postgres@127.0.0.1:5432/lider_container (must exist)
#   REDIS_URL     default redis://127.0.0.1:6379/7
#   PORT          default 8765 (the web container listens on 127.0.0.1:PORT)
#   IMAGE         default lider:smoke
#   BUILD=0       reuse IMAGE as it is; NO_CACHE=1 builds every layer again
set -eu
BASE=${1:-python:3.11-slim-bookworm}
IMAGE=${IMAGE:-lider:smoke}
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lider_container}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/7}
PORT=${PORT:-8765}
WEB=lider-smoke-web-$$
WORKER=lider-smoke-worker-$$
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SITE=http://127.0.0.1:$PORT
PROJECT=/projekty/lider-na-rynku-ekonomii-spolecznej/
OUT=$(mktemp -d /tmp/lider-smoke.XXXXXX)

cleanup() {
	docker rm -f "$WEB" "$WORKER" >/dev/null 2>&1 || true
	rm -rf "$OUT"
}
trap cleanup EXIT

started=$(date +%s)
step() { echo "== [$(($(date +%s) - started)) s] $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# The production environment, as compose.yaml gives it, but on the host's network.
set -- --network host \
	-e LIDER_PRODUCTION=1 -e SECRET_KEY="smoke-$(date +%s)-$$-not-secret" \
	-e ALLOWED_HOSTS=127.0.0.1,localhost -e SITE_URL="$SITE" \
	-e DATABASE_URL="$DATABASE_URL" -e REDIS_URL="$REDIS_URL" \
	-e TASKS_BACKEND=django_tasks_db.DatabaseBackend
lider() { docker run --rm "$@"; }

if [ "${BUILD:-1}" != 0 ]; then
	step "build $IMAGE on $BASE"
	# --network host: a build where the default bridge cannot reach PyPI still can.
	# DOCKER_BUILDKIT=0: the classic builder, present in every Docker (no buildx needed).
	DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0} docker build --network host \
		$([ "${NO_CACHE:-0}" = 0 ] || echo --no-cache) \
		--build-arg BASE="$BASE" --tag "$IMAGE" "$ROOT"
fi
size=$(docker image inspect --format '{{.Size}}' "$IMAGE")
base_size=$(docker image inspect --format '{{.Size}}' "$BASE" 2>/dev/null || echo 0)
step "image $IMAGE: $((size / 1000000)) MB (base $BASE: $((base_size / 1000000)) MB)"

step "runs as an unprivileged user"
user=$(docker run --rm --entrypoint id "$IMAGE" -u)
[ "$user" != 0 ] || fail "the image runs as root"
echo "uid $user"

step "lider migrate"
lider "$@" "$IMAGE" migrate --no-input
step "lider demo"
lider "$@" "$IMAGE" demo >/dev/null

step "lider serve 127.0.0.1:$PORT (gunicorn, 2 workers)"
docker run -d --name "$WEB" "$@" "$IMAGE" serve "127.0.0.1:$PORT" --workers 2 >/dev/null
# As behind the TLS proxy: production redirects plain HTTP to HTTPS otherwise.
get() { curl -sS -o "$OUT/body" -w '%{http_code}' -H 'X-Forwarded-Proto: https' "$SITE$1"; }
i=0
until [ "$(get /zdrowie/ 2>/dev/null)" = 200 ]; do
	i=$((i + 1))
	[ $i -lt 60 ] || { docker logs "$WEB"; fail "/zdrowie/ did not answer 200 in 30 s"; }
	sleep 0.5
done
echo "/zdrowie/ 200: $(cat "$OUT/body")"
grep -q '"database": *"ok"' "$OUT/body" || fail "the database is not ok"
grep -q '"cache": *"ok"' "$OUT/body" || fail "the cache (Redis) is not ok"

step "the public project page, in Polish"
code=$(get "$PROJECT")
[ "$code" = 200 ] || fail "$PROJECT answered $code"
grep -q '<html lang="pl"' "$OUT/body" || fail "$PROJECT is not in Polish"
# Interface strings, read from the catalogue the wheel build compiled (not from the demo data).
for text in 'Przejdź do treści' 'Zgłoś się do projektu' 'Grupa docelowa projektu'; do
	grep -q "$text" "$OUT/body" || fail "$PROJECT lacks \"$text\": the catalogue is not used"
done
echo "$PROJECT 200, lang=pl, $(wc -c <"$OUT/body") bytes"
css=$(grep -o '/static/[^"]*\.css' "$OUT/body" | head -n 1)
[ -n "$css" ] || fail "no stylesheet on $PROJECT"
code=$(get "$css")
[ "$code" = 200 ] || fail "$css answered $code"
echo "$css 200 (collected in the image, hashed name)"
code=$(curl -sS -o /dev/null -w '%{http_code}' "$SITE/zdrowie/")
[ "$code" = 301 ] || fail "plain HTTP answered $code, not a redirect to HTTPS"
echo "plain HTTP: 301 to HTTPS (production settings)"

step "lider worker runs a queued task"
docker run -d --name "$WORKER" "$@" "$IMAGE" worker >/dev/null
count='from django_tasks_db.models import DBTaskResult as R; print(R.objects.successful().count())'
before=$(lider "$@" "$IMAGE" shell --verbosity 0 -c "$count")
lider "$@" "$IMAGE" send_later_reminders >/dev/null
i=0
until [ "$(lider "$@" "$IMAGE" shell --verbosity 0 -c "$count")" -gt "$before" ]; do
	i=$((i + 1))
	[ $i -lt 30 ] || { docker logs "$WORKER"; fail "the worker ran no task in a minute"; }
	sleep 2
done
echo "tasks finished: $before before, $(lider "$@" "$IMAGE" shell --verbosity 0 -c "$count") after"
docker logs "$WORKER" 2>&1 | tail -n 3

step "lider check-install"
lider "$@" "$IMAGE" check-install --language en || fail "check-install reported an error"

step "docker stop (SIGTERM) ends both containers"
t=$(date +%s)
docker stop --time 30 "$WORKER" "$WEB" >/dev/null
for c in "$WORKER" "$WEB"; do
	echo "$c: exit $(docker inspect --format '{{.State.ExitCode}}' "$c")"
done
echo "stopped in $(($(date +%s) - t)) s"

step "all checks passed"
