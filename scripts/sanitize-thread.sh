#!/usr/bin/env bash
# ThreadSanitizer over the tests whose code runs threads: the link shaper, the sender's associations and its
# journal, the receiver (its accept loop and association threads live in the C++ shim, built with TSan too),
# the file batches and the solvers' chains. A data race fails the run (make sanitize-thread, make test).
#
# DCMTK, OpenSSL, Foundation and libdispatch are the system's uninstrumented builds: TSan sees their locks
# through the pthread interceptors, not their memory accesses. Swift's Mutex waits in the standard library
# when contended: `Locked` (Sources/Locking) tells TSan what it orders when built with -DTHREAD_SANITIZER.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-tsan
suites='LinkShaperTests|NetworkFaultTests|ParallelAssociationsTests|StoreTests|ReceiverTests|ReceiverDefenceTests|ReceiverTLSTests|ErrorKindTests|EchoTests|TransportBundleTests|StrokeStudyTests|SolverChainsTests|DeidentifierTests|UrgentTests|StableStudyWatchTests|AutomaticAssociationsTests'

echo "sanitize-thread: building the tests with ThreadSanitizer in $scratch (the first build takes several minutes)"
swift build --build-tests --sanitize=thread --scratch-path "$scratch" -Xswiftc -DTHREAD_SANITIZER 2>&1 | grep -v -E "^\[[0-9]+/[0-9]+\]" || true
export SWIFT_BACKTRACE=enable=no
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 report_signal_unsafe=0"
swift test --skip-build --sanitize=thread --scratch-path "$scratch" --filter "$suites"
