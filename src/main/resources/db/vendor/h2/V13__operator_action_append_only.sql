create trigger operator_action_append_only before update, delete on operator_action
    for each row call 'vn.quangninh.cphub.store.AppendOnlyTrigger';
