package dev.afk.controlplane.workspace.git;

import io.smallrye.mutiny.Uni;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Serialises blocking work per checkout without holding a thread while waiting: each key keeps the
 * tail of a chain of futures, and new work is appended to it. Different keys run in parallel on
 * the executor. Work that has started always runs to its end, even when its subscriber cancels,
 * so the next operation on the checkout never overlaps it.
 *
 * <p>Across processes (replicas sharing the volume) the work also holds a POSIX lock on the key's
 * lock file; within this JVM the chain already guarantees that only one thread asks for it.
 */
final class RepoLocks {

    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Executor executor;
    private final Function<String, Path> lockFiles;

    RepoLocks(Executor executor, Function<String, Path> lockFiles) {
        this.executor = executor;
        this.lockFiles = lockFiles;
    }

    /** Runs {@code work} on the executor once every earlier operation on {@code key} has finished. */
    <T> Uni<T> serialize(String key, Callable<T> work) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<T> result = new CompletableFuture<>();
            pending.incrementAndGet();
            CompletableFuture<Void> tail = tails.compute(key, (k, previous) ->
                    (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                            .handleAsync((ignored, failure) -> run(lockFiles.apply(key), work, result), executor)
                            .thenApply(ignored -> null));
            tail.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure); // the executor refused the work
                }
                pending.decrementAndGet();
                tails.remove(key, tail);
            });
            // A copy, so that a cancelled subscriber cannot complete the chain early.
            return Uni.createFrom().completionStage(result.thenApply(value -> value));
        });
    }

    /** Operations queued or running, over all checkouts. */
    int pending() {
        return pending.get();
    }

    private static <T> Void run(Path lockFile, Callable<T> work, CompletableFuture<T> result) {
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                result.complete(work.call());
            }
        } catch (Throwable failure) {
            result.completeExceptionally(failure);
        }
        return null;
    }
}
