-- Calls to the hotlines as the PBX reported them over SIP: counted per line and day for the statistics,
-- whether or not a ticket follows. No caller number when the caller withheld it.
create table call_record (
    call_id          varchar(256) primary key,
    line             varchar(16),
    started_at       timestamp with time zone,
    answered_at      timestamp with time zone,
    ended_at         timestamp with time zone,
    duration_seconds integer,
    caller_number    varchar(32),
    caller_withheld  boolean not null,
    updated_at       timestamp with time zone not null
);
create index call_record_line_started on call_record (line, started_at);
