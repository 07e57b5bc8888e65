set -e
cd /tmp/cbench
rm -rf target/criterion out; mkdir -p out
B="cargo bench --bench tiny -- --warm-up-time 1 --measurement-time 4 --noplot"
# The base branch saves a named baseline; PR runs compare against it without overwriting it.
SLEEP_US=1000 $B --save-baseline base > out/run1.log 2>&1
SLEEP_US=1000 $B --baseline base > out/run2.log 2>&1
cp -r target/criterion out/noise
SLEEP_US=1200 $B --baseline base > out/run3.log 2>&1
cp -r target/criterion out/slow
echo finished
