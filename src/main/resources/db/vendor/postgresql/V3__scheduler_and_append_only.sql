-- db-scheduler's table (its documented PostgreSQL layout), for the Decree 56 clock timers.
create table scheduled_tasks (
    task_name            text        not null,
    task_instance        text        not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean     not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint      not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);

create function cphub_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'table % is append-only', tg_table_name;
end;
$$;
create trigger disclosure_append_only before update or delete on disclosure
    for each row execute function cphub_refuse_change();
create trigger referral_status_update_append_only before update or delete on referral_status_update
    for each row execute function cphub_refuse_change();
