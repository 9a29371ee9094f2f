-- The CRM tickets taken, by the Call-ID they name: so that the call's facts (line, times, duration,
-- the caller's number unless withheld) reach the ticket's recipients in either order of arrival.
-- update_base holds the fields an update repeats (classification, commune/district/site, line, ticket
-- id): no name, birth date, address, narrative or number.
create table hotline_ticket (
    incident_id         varchar(36) primary key,
    call_id             varchar(256) not null,
    ticket_caller       varchar(8) not null,
    update_base         varchar(4000) not null,
    call_facts_complete boolean not null,
    created_at          timestamp with time zone not null
);
create index hotline_ticket_call on hotline_ticket (call_id);
