-- The linker reads the most recent incidents of a key, no more than it keeps (#13: a child reported again and
-- again made every later referral, and this query, grow without bound).
create index incident_link_key_recent on incident_link_key (link_key, seen_at);
