package dev.afk.controlplane.agents.queue;

import java.util.List;

/** One page of queue items. */
public record QueuePage(List<QueueItem> items, int page, int size, long total) {}
