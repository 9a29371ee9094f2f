create trigger operator_action_append_only before update or delete on operator_action
    for each row execute function cphub_refuse_change();
