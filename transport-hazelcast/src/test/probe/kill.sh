#!/bin/bash
# usage: kill.sh VERSION victim|client-victim WAIT_S [extra -D...]
v=$1; mode=$2; wait=$3; shift 3
cp=/tmp/hzprobe/c$v:$HOME/.m2/repository/com/hazelcast/hazelcast/$v/hazelcast-$v.jar
J="java -Dhazelcast.logging.type=none -cp $cp -Dprobe.cluster=k$$ $*"
$J Probe member > /tmp/hzprobe/s.out 2>&1 & S=$!
until grep -q READY /tmp/hzprobe/s.out; do sleep 0.2; done
$J Probe $mode > /tmp/hzprobe/v.out 2>&1 & V=$!
until grep -q LOCKED /tmp/hzprobe/v.out; do sleep 0.2; if ! kill -0 $V 2>/dev/null; then cat /tmp/hzprobe/v.out; kill $S; exit 1; fi; done
sleep 3
kill -9 $V; wait $V 2>/dev/null
g=$(grep '^group' /tmp/hzprobe/v.out | cut -d' ' -f2); ack=$(grep ACK /tmp/hzprobe/v.out | tail -1 | cut -d' ' -f2)
echo "killed $mode pid $V (group $g, last ACK $ack)"
$J Probe observer $g ${ack:-0} $wait
kill $S; wait $S 2>/dev/null
