-- The Decree 56 clocks are found due by a scan of referral_clock (clock.ClockScan), no longer by two
-- db-scheduler executions per clock. A hub instance claims a stage before it escalates it (the claim lapses
-- after a minute, should that instance die), so one instance escalates each stage however many scan.
alter table referral_clock add column warn_claimed_at timestamp with time zone;
alter table referral_clock add column breach_claimed_at timestamp with time zone;
create index referral_clock_warning_due on referral_clock (stopped_at, warned_at, warn_at);
create index referral_clock_breach_due on referral_clock (stopped_at, breached_at, deadline);
-- the executions of the old timers: the scan finds every clock they would have fired
delete from scheduled_tasks where task_name = 'referral-clock';
-- a disclosure is recorded once per referral, checked at every delivery: without this index every
-- delivery read the whole disclosure log (half of the hub's CPU after a few thousand incidents)
create unique index disclosure_referral on disclosure (referral_id);
-- the copy of a source event triage is working on: a second copy (a re-post, or the same event on the other
-- lane) that arrives before the first has finished is rolled back and comes again, to be skipped as a
-- duplicate once the first has committed (incident.SourceEventClaims)
create table source_event_claim (
    dedupe_key varchar(300) primary key,
    message_id varchar(200) not null,
    claimed_at timestamp with time zone not null
);
