package dev.afk.controlplane.agents.container.docker;

import dev.afk.controlplane.agents.container.ContainerStats;
import io.vertx.core.json.JsonObject;

/** Reads one {@code /containers/{id}/stats?stream=false} answer the way the Docker CLI does. */
final class StatsSample {

    private StatsSample() {}

    static ContainerStats of(JsonObject stats) {
        JsonObject cpu = stats.getJsonObject("cpu_stats", new JsonObject());
        JsonObject preCpu = stats.getJsonObject("precpu_stats", new JsonObject());
        long cpuDelta = total(cpu) - total(preCpu);
        long systemDelta = cpu.getLong("system_cpu_usage", 0L) - preCpu.getLong("system_cpu_usage", 0L);
        long cpus = cpu.getLong("online_cpus", 1L);
        double cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (double) cpuDelta / systemDelta * cpus * 100.0 : 0.0;

        JsonObject memory = stats.getJsonObject("memory_stats", new JsonObject());
        long used = memory.getLong("usage", 0L);
        long limit = memory.getLong("limit", 0L);
        long rx = 0;
        long tx = 0;
        JsonObject networks = stats.getJsonObject("networks", new JsonObject());
        for (String name : networks.fieldNames()) {
            rx += networks.getJsonObject(name).getLong("rx_bytes", 0L);
            tx += networks.getJsonObject(name).getLong("tx_bytes", 0L);
        }
        return new ContainerStats(round(cpuPercent), used, limit, limit > 0 ? round(100.0 * used / limit) : 0.0, rx, tx);
    }

    private static long total(JsonObject cpuStats) {
        return cpuStats.getJsonObject("cpu_usage", new JsonObject()).getLong("total_usage", 0L);
    }

    private static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
