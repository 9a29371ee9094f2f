-- Camera snapshots kept outside the queues (EvidenceStore): the encrypted files live under
-- <data-dir>/evidence/, addressed by sha256; this table dates them for the retention sweep.
create table evidence (
    sha256      varchar(64) primary key,
    media_type  varchar(64) not null,
    size_bytes  integer not null,
    device_id   varchar(64) not null,
    stored_at   timestamp with time zone not null
);
create index evidence_stored on evidence (stored_at);

-- Who looked at which snapshot, and when.
create table evidence_fetch (
    sha256      varchar(64) not null,
    username    varchar(128) not null,
    fetched_at  timestamp with time zone not null
);

-- Camera alerts (one per episode) waiting for, or past, their verification.
create table camera_alert (
    alert_id     varchar(36) primary key,
    site_id      varchar(64) not null,
    device_id    varchar(64) not null,
    status       varchar(16) not null,
    episode      varchar(8000) not null,
    verified_by  varchar(64),
    incident_id  varchar(36),
    created_at   timestamp with time zone not null,
    updated_at   timestamp with time zone not null
);
