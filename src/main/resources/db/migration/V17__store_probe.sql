-- One row the hub rewrites to learn whether the store takes a commit again after a store failure
-- (store.StoreCircuit: triage, call records and camera alerts wait while it does not). No personal data.
create table store_probe (
    id        integer primary key,
    probed_at timestamp with time zone not null
);
insert into store_probe (id, probed_at) values (1, current_timestamp);
