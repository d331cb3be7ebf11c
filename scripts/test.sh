#!/usr/bin/env bash
# The whole test suite: installs what the tests need, starts a throwaway PostgreSQL, builds once and
# runs every test (the storage suite against SQLite and PostgreSQL) on that build, then the widget's
# browser test in headless Chromium. The few suites whose tests bound a time (hostile input answered
# within 2 s, sends within a deadline, a backlog beside ordinary conversations) run after the rest, on
# their own, so the hundreds of tests running in parallel beside them do not decide the outcome. Before them,
# also on their own, the tests that wait on processes and clocks: gateway processes killed mid-run, sends whose
# confirmation must beat a retry, idle widget conversations. Before those, the campaigns over a thousand customers
# on both engines, whose load would crowd the time-bound turns of the main run. Last, the shipped nginx site in front
# of two gateways.
# Arguments (e.g. --filter NAME) are passed to one `swift test` run of the tests they select.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-system-deps.sh --test
# Swift Testing starts every test case at once unless told otherwise; on two cores the hundreds of gateways, servers and
# stores of the main run then starve each other until a gateway's start misses its 20 s database deadline. Four test
# cases per core keep the run short and every test's own deadlines honest.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-$(( $(nproc) * 4 ))}
swift build --build-tests
timed='EmailHostileInputTests|UNASFeedHostileInputTests|FloodTests|DeliveryFaultTests|HTTPCallTests|CatalogImportTests'
waiting='MultiProcessTests|CrashRecoveryTests|SendConfirmationEndToEndTests|WidgetLifecycleTests'
heavy='CampaignTests'
if [[ $# -gt 0 ]]; then
    scripts/with-postgres.sh swift test --skip-build "$@"
else
    scripts/with-postgres.sh bash -c "swift test --skip-build --skip '$timed|$waiting|$heavy' && swift test --skip-build --filter '$heavy' \
        && swift test --skip-build --filter '$waiting' && swift test --skip-build --filter '$timed'"
fi
scripts/browser-test.sh .build/debug/chatbuddy
scripts/deploy-test.sh
