-- How a repository's runs land on its default branch: pushed by the agent (the default), or as a
-- pull request from the run's branch that the pipeline merges once its head is green.
alter table afk_repo
    add column landing      text not null default 'push' check (landing in ('push', 'pull-request')),
    add column merge_method text check (merge_method in ('merge', 'squash', 'rebase')),
    add constraint afk_repo_merge_method_with_pull_request
        check ((landing = 'pull-request') = (merge_method is not null));
