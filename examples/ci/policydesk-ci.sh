#!/bin/sh
# The shell steps of the PolicyDesk CI recipes: github-actions.yml and gitlab-ci.yml call this
# script and nothing else, and tests/ci_recipe.rs runs it against portals on 127.0.0.1.
#
#   policydesk-ci.sh install-chromium   Chromium's headless shell (else Chromium) and CA
#                                       certificates (Debian/Ubuntu, root or sudo)
#   policydesk-ci.sh build DIR          PolicyDesk without the desktop app, into DIR/bin
#   policydesk-ci.sh shard K N          audit part K of N into $REPORTS/shard-K-of-N.json
#   policydesk-ci.sh finish             merge $REPORTS/shard-*.json into $OUT/report.json, save
#                                       the audits in the history, write $OUT/digest.md and
#                                       $OUT/digest.json; exit 1 when there are new errors
#
# Environment: POLICYDESK (the program; default policydesk), SITES (the sites folder; default
# sites), REPORTS (default reports), OUT (default out), AUDIT_ARGS (more `audit` options, such as
# --concurrency 16), HISTORY_ARGS (how much history to keep, such as --keep 30 or --keep-days 365).
set -eu

POLICYDESK=${POLICYDESK:-policydesk}
SITES=${SITES:-sites}
REPORTS=${REPORTS:-reports}
OUT=${OUT:-out}

# Artifacts lose the executable bit on the way between jobs.
if [ -f "$POLICYDESK" ] && [ ! -x "$POLICYDESK" ]; then chmod +x "$POLICYDESK"; fi

case "${1:-}" in
install-chromium)
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
    $sudo apt-get update
    # The headless shell (lighter, same engine) where the distribution has it, else Chromium.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends \
        chromium-headless-shell ca-certificates ||
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends \
            chromium ca-certificates
    ;;
build)
    cargo install --locked --no-default-features --path "${POLICYDESK_SOURCE:-.}" \
        --root "${2:?usage: build DIR}"
    ;;
shard)
    k=${2:?usage: shard K N}
    n=${3:?usage: shard K N}
    mkdir -p "$REPORTS"
    report="$REPORTS/shard-$k-of-$n.json"
    rm -f "$report"
    # Exit 1 (error findings) and 2 (a site could not be audited) still write the report: the
    # final job judges. No report at all is a failure of this job.
    # shellcheck disable=SC2086
    "$POLICYDESK" --sites "$SITES" audit --all --shard "$k/$n" --format json \
        --out "$report" ${AUDIT_ARGS:-} ${HISTORY_ARGS:-} || true
    if [ ! -s "$report" ]; then
        echo "policydesk-ci: no report written for part $k of $n" >&2
        exit 2
    fi
    ;;
finish)
    mkdir -p "$OUT"
    # The shards' histories stayed in their jobs: --record saves their audits here.
    # shellcheck disable=SC2086
    "$POLICYDESK" --sites "$SITES" merge --record "$REPORTS"/shard-*.json \
        --out "$OUT/report.json" ${HISTORY_ARGS:-}
    "$POLICYDESK" --sites "$SITES" digest --format json --out "$OUT/digest.json" || true
    status=0
    "$POLICYDESK" --sites "$SITES" digest --out "$OUT/digest.md" || status=$?
    cat "$OUT/digest.md"
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$OUT/digest.md" >>"$GITHUB_STEP_SUMMARY"; fi
    if [ "$status" = 1 ]; then
        echo "policydesk-ci: new errors since the last audit (see $OUT/digest.md)" >&2
    fi
    exit "$status"
    ;;
*)
    sed -n '2,16p' "$0" >&2
    exit 2
    ;;
esac
