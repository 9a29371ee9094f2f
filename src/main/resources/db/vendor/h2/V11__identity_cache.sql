-- H2 writes its whole store to disk whenever an identity column has handed out its cached values (32 by
-- default): with a journey row per step that was one extra disk write every few incidents, 14 % of the store
-- writer's time under load (#13). A larger cache: the store writes once per thousand rows. Values skipped after a
-- crash leave gaps, which nothing reads as meaning. (PostgreSQL keeps its sequences apart from its tables and
-- caches them per connection, which would put journey rows out of order: nothing to change there.)
alter table journey alter column id set cache 1000;
alter table disclosure alter column id set cache 1000;
alter table referral_status_update alter column id set cache 1000;
