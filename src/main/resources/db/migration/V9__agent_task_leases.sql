-- Tasks run under a lease: the replica executing a task (claimed_by) keeps lease_until in the
-- future while it runs; a task whose lease lapsed lost its replica and is failed by the sweep.
alter table agent_task add column claimed_by  text;
alter table agent_task add column lease_until timestamptz;

-- Tasks already active have no owner to renew them: give them one task timeout (1 h by default)
-- to finish on a replica of the previous version, then let the sweep reap them.
update agent_task set lease_until = now() + interval '1 hour' where status in ('queued', 'running');

create index agent_task_lease on agent_task (lease_until) where status in ('queued', 'running');
