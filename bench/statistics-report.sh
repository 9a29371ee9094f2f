#!/usr/bin/env bash
# The programme's report over one year of data on PostgreSQL (#17: under 2 s for 100,000 incidents).
# Starts the packaged hub on a fresh schema of the machine's PostgreSQL (127.0.0.1:5432, database test), writes a
# synthetic year into its store with SQL (N incidents, a referral to social affairs for each and to police for 3 in
# 10, status updates, deliveries, clocks, camera alerts, calls, repeat reports), then times the report as the
# social-affairs department reads it: the year as JSON, grouped by commune, as CSV and as the printable page.
#   ./mvnw -DskipTests package && bench/statistics-report.sh [N=100000] [--no-results]
# Loopback only; stops what it starts and drops its schema.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
record=true; [ "${2:-}" = "--no-results" ] && record=false
jar=target/cphub.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -DskipTests package" >&2; exit 1; }
port=18381
schema="bench_stats_$(date +%s)"
data=$(mktemp -d /tmp/cphub-stats.XXXXXX)
psql -h 127.0.0.1 -U postgres -d test -q -c "create schema $schema" >/dev/null
hub=""
cleanup() {
  [ -n "$hub" ] && kill "$hub" 2>/dev/null && wait "$hub" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -d test -q -c "drop schema $schema cascade" >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

env CPHUB_HOME="$PWD" CPHUB_DATA_DIR="$data/data" CPHUB_HTTP_PORT=$port CPHUB_HTTP_ADDRESS=127.0.0.1 CPHUB_HL7_PORT=18382 \
  CPHUB_SIP_PORT=18383 CPHUB_SIP_BIND_ADDRESS=127.0.0.1 \
  CPHUB_DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" CPHUB_DB_USER=postgres CPHUB_DB_PASSWORD= \
  java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -jar "$jar" > "$data/hub.log" 2>&1 &
hub=$!
for _ in $(seq 1 900); do curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health" && break; sleep 0.1; done
curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health" || { tail -50 "$data/hub.log"; exit 1; }

echo "== writing a synthetic year: $N incidents"
t0=$(date +%s%N)
psql -h 127.0.0.1 -U postgres -d test -q -v ON_ERROR_STOP=1 <<SQL
set search_path to $schema;
insert into incident_fact (incident_id, received_at, channel, line, source_system, category, priority, signs_of_crime,
                           district, commune, site_kind, age_group, sex)
select lpad(to_hex(i), 36, '0'), timestamp with time zone '2025-01-01 00:00+07' + (i * (365.0 * 86400 / $N)) * interval '1 second',
       (array['hotline','hotline','hospital','cctv','partner'])[1 + i % 5], case when i % 5 = 0 then '111' when i % 5 = 1 then '18001769' end,
       'synthetic', (array['violence','sexual_abuse','neglect','exploitation','abandonment','trafficking','other'])[1 + i % 7],
       1 + i % 4, i % 3 = 0, 'District ' || (i % 14), 'Commune ' || (i % 177), case when i % 5 = 3 then 'school' end,
       (array['0-5','6-10','11-15','16+','unknown'])[1 + i % 5], (array['female','male','unknown'])[1 + i % 3]
from generate_series(1, $N) i;
insert into referral (referral_id, incident_id, partner_id, origin_partner_id, rule_name, profile, disclosed_groups, legal_basis,
                      priority, status, partner_case_id, created_at, updated_at)
select 'sa' || lpad(to_hex(i), 34, '0'), lpad(to_hex(i), 36, '0'), 'social-affairs', 'synthetic', 'bench', 'full', 'incident',
       'statutory_duty', 2, (array['delivered','received','accepted','declined','closed'])[1 + i % 5], null, f.received_at, f.received_at
from generate_series(1, $N) i join incident_fact f on f.incident_id = lpad(to_hex(i), 36, '0');
insert into referral (referral_id, incident_id, partner_id, origin_partner_id, rule_name, profile, disclosed_groups, legal_basis,
                      priority, status, partner_case_id, created_at, updated_at)
select 'po' || lpad(to_hex(i), 34, '0'), lpad(to_hex(i), 36, '0'), 'police', 'synthetic', 'bench', 'full', 'incident',
       'statutory_duty', 1, (array['delivered','accepted','closed','closed'])[1 + i % 4], case when i % 4 > 0 then 'CA-' || i end,
       f.received_at, f.received_at
from generate_series(1, $N) i join incident_fact f on f.incident_id = lpad(to_hex(i), 36, '0') where i % 10 < 3;
insert into disclosure (referral_id, incident_id, partner_id, profile, disclosed_groups, withheld_groups, legal_basis, rule_name, disclosed_at)
select referral_id, incident_id, partner_id, 'full', 'incident', '', 'statutory_duty', 'bench', created_at + interval '2 seconds' from referral;
insert into referral_status_update (referral_id, status, reported_by, recorded_at)
select referral_id, 'received', partner_id, created_at + interval '10 minutes' from referral where status <> 'delivered';
insert into referral_status_update (referral_id, status, reported_by, recorded_at)
select referral_id, 'accepted', partner_id, created_at + interval '3 hours' from referral where status in ('accepted', 'closed');
insert into referral_clock (referral_id, clock, incident_id, partner_id, stops_on, started_at, warn_at, deadline, stopped_at, stopped_by,
                            warned_at, breached_at)
select referral_id, 'forward', incident_id, partner_id, 'delivered', created_at, created_at + interval '1 minute',
       created_at + interval '5 minutes', created_at + interval '2 seconds', 'delivered', null, null from referral;
insert into referral_clock (referral_id, clock, incident_id, partner_id, stops_on, started_at, warn_at, deadline, stopped_at, stopped_by,
                            warned_at, breached_at)
select referral_id, 'emergency', incident_id, partner_id, 'accepted', created_at, created_at + interval '10 hours',
       created_at + interval '12 hours', case when status <> 'delivered' then created_at + interval '3 hours' end,
       case when status <> 'delivered' then 'accepted' end, null,
       case when status = 'delivered' then created_at + interval '12 hours' end from referral where priority = 1;
insert into camera_alert (alert_id, site_id, device_id, status, episode, created_at, updated_at)
select lpad(to_hex(i), 36, '0'), 'school-hongha-primary', 'bench-cam', (array['confirmed','false_alarm','pending'])[1 + i % 3], '{}',
       timestamp with time zone '2025-01-01 00:00+07' + i * interval '1 hour', timestamp with time zone '2025-01-01 00:00+07' + i * interval '1 hour'
from generate_series(1, $N / 20) i;
insert into call_record (call_id, line, started_at, answered_at, caller_withheld, updated_at)
select 'bench-' || i || '@pbx', case when i % 2 = 0 then '111' else '18001769' end,
       timestamp with time zone '2025-01-01 00:00+07' + i * interval '5 minutes',
       case when i % 10 > 0 then timestamp with time zone '2025-01-01 00:00+07' + i * interval '5 minutes' end, true,
       timestamp with time zone '2025-01-01 00:00+07' + i * interval '5 minutes'
from generate_series(1, $N / 2) i;
insert into incident_link_key (link_key, incident_id, kind, channel, category, seen_at)
select 'child-' || (i % ($N / 4)), incident_id, 'child', channel, category, received_at
from (select row_number() over () as i, incident_id, channel, category, received_at from incident_fact) f;
analyze;
SQL
echo "written in $(( ($(date +%s%N) - t0) / 1000000 )) ms"

time_report() { # $1 = query; prints the best and the median of 5 reads (the first, a cold one, apart)
  local times=() t
  for i in 1 2 3 4 5 6; do
    t=$(curl -s -o /dev/null -w '%{time_total}' -u social-affairs:social-affairs-dev-secret \
        "http://127.0.0.1:$port/api/v1/statistics/report$1")
    times+=("$t")
  done
  printf '%s\n' "${times[@]:1}" | sort -n | awk -v first="${times[0]}" '{a[NR]=$1} END {printf "first %.2f s, then median %.2f s (best %.2f s)", first, a[3], a[1]}'
}
code=$(curl -s -o /dev/null -w '%{http_code}' -u social-affairs:social-affairs-dev-secret "http://127.0.0.1:$port/api/v1/statistics/report?period=year&year=2025")
[ "$code" = 200 ] || { echo "the report answered $code"; tail -30 "$data/hub.log"; exit 1; }
year=$(time_report "?period=year&year=2025")
commune=$(time_report "?period=year&year=2025&groupBy=commune")
csv=$(time_report "?period=year&year=2025&format=csv")
html=$(time_report "?period=year&year=2025&format=html")
h1=$(time_report "?period=H1&year=2025")
rows=$(psql -h 127.0.0.1 -U postgres -d test -At -c "select (select count(*) from $schema.incident_fact), (select count(*) from $schema.referral), (select count(*) from $schema.referral_status_update), (select count(*) from $schema.referral_clock)")
echo "== the report on PostgreSQL, $N incidents (incidents|referrals|status updates|clocks: $rows)"
echo "year, JSON:            $year"
echo "year by commune, JSON: $commune"
echo "year, CSV:             $csv"
echo "year, printable page:  $html"
echo "H1, JSON:              $h1"
if $record; then
  {
    echo
    echo "### Statistics report on PostgreSQL, $(date -u +%Y-%m-%d) (bench/statistics-report.sh $N)"
    echo
    echo "Packaged hub on a fresh PostgreSQL schema; a synthetic year written with SQL (incidents | referrals | status"
    echo "updates | clocks: $rows). Each line: the first read, then the median and best of five more."
    echo
    echo "| report | time |"
    echo "|---|---|"
    echo "| year, JSON | $year |"
    echo "| year grouped by commune, JSON | $commune |"
    echo "| year, CSV | $csv |"
    echo "| year, printable page | $html |"
    echo "| first half-year, JSON | $h1 |"
  } >> bench/RESULTS.md
  echo "(appended to bench/RESULTS.md)"
fi
