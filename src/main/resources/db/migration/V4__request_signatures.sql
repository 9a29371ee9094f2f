-- Signatures of signed partner requests already taken (replay protection); kept ten minutes.
create table request_signature (
    partner_id varchar(64) not null,
    signature  varchar(128) not null,
    seen_at    timestamp with time zone not null,
    primary key (partner_id, signature)
);
create index request_signature_seen on request_signature (seen_at);
