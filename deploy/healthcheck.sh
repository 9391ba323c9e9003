#!/usr/bin/env bash
# The worker image's HEALTHCHECK: healthy (0) while GET /health/live on HERALD_HTTP_PORT answers 200,
# unhealthy (1) otherwise. Run by bash, never sh: /dev/tcp is bash's, and the image's sh (dash) has
# none; the JRE image has no curl or wget, and none is added for this.
set -uo pipefail

exec 3<>"/dev/tcp/127.0.0.1/${HERALD_HTTP_PORT:-8080}" || exit 1
printf 'GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3 || exit 1
IFS= read -r -t 2 status <&3 || exit 1
[[ $status == *" 200 "* ]]
