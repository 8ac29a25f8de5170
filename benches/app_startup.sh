#!/bin/bash
# Start-up to first frame and resident memory of the release app under Xvfb.
# Needs a release build and Xvfb on :99: `Xvfb :99 -screen 0 1400x900x24 &` (POLICYDESK=path overrides the binary).
export DISPLAY=:99
cd "$(dirname "$0")/.."
for run in 1 2 3 4 5; do
  rm -rf /tmp/pd-data
  t0=$(date +%s%N)
  POLICYDESK_TRACE_STARTUP=1 XDG_DATA_HOME=/tmp/pd-data XDG_CONFIG_HOME=/tmp/pd-data "${POLICYDESK:-target/release/policydesk}" --sites sites 2>/tmp/trace.log &
  pid=$!
  sleep 3
  first=$(grep "first frame at" /tmp/trace.log | awk '{print $NF}')
  loaded=$(grep "with the sites" /tmp/trace.log | awk '{print $NF}')
  rss=$(grep VmRSS /proc/$pid/status | awk '{print $2}')
  echo "run $run: first frame $(( (first - t0)/1000000 )) ms, sites shown $(( (loaded - t0)/1000000 )) ms, VmRSS $((rss/1024)) MB"
  kill $pid; wait $pid 2>/dev/null
done
