package dev.afk.controlplane.agents.container;

/** One sample of a container's resource usage, in Trinity's shape. */
public record ContainerStats(double cpuPercent, long memoryUsedBytes, long memoryLimitBytes, double memoryPercent,
        long networkRxBytes, long networkTxBytes) {}
