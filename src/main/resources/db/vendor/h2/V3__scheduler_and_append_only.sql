-- db-scheduler's table (its documented layout), for the Decree 56 clock timers.
create table scheduled_tasks (
    task_name            varchar(100) not null,
    task_instance        varchar(200) not null,
    task_data            blob,
    execution_time       timestamp with time zone not null,
    picked               boolean      not null,
    picked_by            varchar(50),
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint       not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);

create trigger disclosure_append_only before update, delete on disclosure
    for each row call 'vn.quangninh.cphub.store.AppendOnlyTrigger';
create trigger referral_status_update_append_only before update, delete on referral_status_update
    for each row call 'vn.quangninh.cphub.store.AppendOnlyTrigger';
