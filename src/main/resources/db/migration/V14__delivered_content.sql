-- What each partner was delivered, sealed (AES-256-GCM, key cphub.content.key, the referral id as associated
-- data; base64 of IV + ciphertext), for operators to look at and send again (delivery.DeliveredContent). Kept
-- for cphub.content.retention after delivery, and longer while the referral is still open.
create table delivered_content (
    referral_id  varchar(36)     primary key,
    incident_id  varchar(36)     not null,
    partner_id   varchar(64)     not null,
    sealed       varchar(1000000) not null,
    stored_at    timestamp with time zone not null
);
create index delivered_content_stored on delivered_content (stored_at);
