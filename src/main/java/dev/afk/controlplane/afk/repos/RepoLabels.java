package dev.afk.controlplane.afk.repos;

/** The labels a repository uses for the pipeline's three signals. */
public record RepoLabels(String ready, String inProgress, String human) {}
