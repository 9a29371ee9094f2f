-- Open camera episodes (camel-sql JdbcAggregationRepository "camera_episode").
create table camera_episode (
    id       varchar(255) not null primary key,
    exchange blob not null,
    version  bigint not null
);
create table camera_episode_completed (
    id       varchar(255) not null primary key,
    exchange blob not null,
    version  bigint not null
);
