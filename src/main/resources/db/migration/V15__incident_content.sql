-- The canonical incident as triage took it, sealed like delivered content (AES-256-GCM, cphub.content.key, the
-- incident id as associated data), so that an operator can have it triaged again after a routing change
-- (incident.IncidentContent). Kept for cphub.content.retention, and longer while a referral of it is open.
create table incident_content (
    incident_id  varchar(36)     primary key,
    sealed       varchar(1000000) not null,
    stored_at    timestamp with time zone not null
);
create index incident_content_stored on incident_content (stored_at);
