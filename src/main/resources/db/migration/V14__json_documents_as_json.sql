-- JSON documents were bound as Java strings and so stored as jsonb *strings* holding encoded JSON.
-- Turn each such string into the document it encodes. Rows already holding documents are left as
-- they are, so the migration is idempotent and a reader of either form keeps working.

update afk_repo set deployments = (deployments #>> '{}')::jsonb where jsonb_typeof(deployments) = 'string';
update afk_repo set caps = (caps #>> '{}')::jsonb where jsonb_typeof(caps) = 'string';
update afk_run set settings = (settings #>> '{}')::jsonb where jsonb_typeof(settings) = 'string';
update afk_run set pending_request = (pending_request #>> '{}')::jsonb where jsonb_typeof(pending_request) = 'string';
update afk_run_effect set payload = (payload #>> '{}')::jsonb where jsonb_typeof(payload) = 'string';
