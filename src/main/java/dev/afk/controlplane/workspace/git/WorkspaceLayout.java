package dev.afk.controlplane.workspace.git;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.workspace.InvalidWorkspaceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where things live on the workspace volume, and the only place that turns names into paths:
 * <pre>
 * &lt;root&gt;/&lt;owner&gt;__&lt;name&gt;                       persistent checkout (the executor project's root)
 * &lt;root&gt;/worktrees/&lt;owner&gt;__&lt;name&gt;/run-&lt;id&gt;   one worktree per run
 * </pre>
 * Every name is checked against {@code [A-Za-z0-9._-]} and every path against the root, so no
 * input can point git or a recursive delete outside the volume.
 */
final class WorkspaceLayout {

    static final String WORKTREES = "worktrees";
    private static final String LOCKS = ".locks";
    private static final String RUN_PREFIX = "run-";
    private static final String CLONING_PREFIX = ".cloning-";
    private static final String LAST_USED_MARKER = "afk-last-used";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern CHECKOUT_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*__[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
    private static final int SHORT_ID_LENGTH = 8;

    private final Path root;

    WorkspaceLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    static String checkoutKey(RepoSlug repo) {
        return safeName(repo.owner()) + "__" + safeName(repo.name());
    }

    Path checkout(String key) {
        return under(checkoutPath(key));
    }

    /** The checkout's path from names alone, touching no disk (safe on the event loop). */
    Path checkoutPath(String key) {
        return lexicallyUnder(root.resolve(checkedKey(key)));
    }

    Path worktreesOf(String key) {
        return under(root.resolve(WORKTREES).resolve(checkedKey(key)));
    }

    Path worktree(String key, String runId) {
        return under(worktreesOf(key).resolve(RUN_PREFIX + safeName(runId)));
    }

    /** The file replicas lock before touching the checkout (hidden: not a checkout itself). */
    Path lockFile(String key) {
        return under(root.resolve(LOCKS).resolve(checkedKey(key) + ".lock"));
    }

    /** A fresh sibling of the checkout that a clone fills before it is renamed into place. */
    Path cloningDirectory(String key, String nonce) {
        return under(root.resolve(CLONING_PREFIX + checkedKey(key) + "-" + safeName(nonce)));
    }

    /** {@code afk/<issue>-<short run id>}: readable in the forge, unique enough per repository. */
    static String branch(int issue, String runId) {
        String alphanumeric = safeName(runId).replaceAll("[^A-Za-z0-9]", "");
        return "afk/" + issue + "-" + alphanumeric.substring(0, Math.min(SHORT_ID_LENGTH, alphanumeric.length()));
    }

    /** A default-branch name that is a valid ref and cannot be read as an option. */
    static String defaultBranch(String branch) {
        if (branch == null || !BRANCH.matcher(branch).matches() || branch.contains("..") || branch.contains("//")
                || branch.endsWith("/") || branch.endsWith(".") || branch.endsWith(".lock")) {
            throw new InvalidWorkspaceRequest("not a usable default branch name");
        }
        return branch;
    }

    static String safeName(String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            throw new InvalidWorkspaceRequest("names may only use letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        return name;
    }

    /** Checkouts on disk, by key; clones in progress and the worktrees folder are not checkouts. */
    List<String> checkoutKeys() {
        return childNames(root).filter(name -> CHECKOUT_KEY.matcher(name).matches()).toList();
    }

    /** Keys that have a worktrees folder, whether or not their checkout still exists. */
    List<String> worktreeKeys() {
        return childNames(root.resolve(WORKTREES)).filter(name -> CHECKOUT_KEY.matcher(name).matches()).toList();
    }

    /** Run ids of the worktrees on disk for one checkout. */
    List<String> worktreeRunIds(String key) {
        return childNames(worktreesOf(key))
                .filter(name -> name.startsWith(RUN_PREFIX))
                .map(name -> name.substring(RUN_PREFIX.length()))
                .filter(id -> SAFE_NAME.matcher(id).matches())
                .toList();
    }

    /** Clones that never finished (the process died mid-clone). */
    List<Path> abandonedClones() {
        return childNames(root).filter(name -> name.startsWith(CLONING_PREFIX)).map(name -> under(root.resolve(name))).toList();
    }

    void markUsed(String key, Instant when) {
        Path marker = checkout(key).resolve(".git").resolve(LAST_USED_MARKER);
        try {
            if (Files.notExists(marker)) {
                Files.createFile(marker);
            }
            Files.setLastModifiedTime(marker, FileTime.from(when));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When a run last used the checkout; the directory's own time for checkouts never marked. */
    Instant lastUsed(String key) {
        Path checkout = checkout(key);
        Path marker = checkout.resolve(".git").resolve(LAST_USED_MARKER);
        return modified(Files.exists(marker) ? marker : checkout);
    }

    static Instant modified(Path path) {
        try {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** Bytes of regular files under {@code path}, symbolic links not followed; vanishing files are skipped. */
    long bytesUnder(Path path) {
        AtomicLong total = new AtomicLong();
        if (Files.notExists(under(path), LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    total.addAndGet(attributes.isRegularFile() ? attributes.size() : 0);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total.get();
    }

    /** Deletes a tree under the root; links are removed, never followed. */
    void deleteTree(Path path) {
        Path target = under(path);
        if (Files.notExists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(target, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException ignored) {
            // Already gone: the goal of a delete.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The path itself if it stays strictly under the root, both as written and after symbolic links
     * are resolved (checked on its nearest existing ancestor, so a linked parent cannot redirect it).
     */
    Path under(Path path) {
        Path normalized = lexicallyUnder(path);
        Path existing = normalized;
        while (existing != null && Files.notExists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null && existing.startsWith(root)) {
            try {
                if (!existing.toRealPath().startsWith(root.toRealPath())) {
                    throw new InvalidWorkspaceRequest("path escapes the workspace root");
                }
            } catch (IOException e) {
                throw new InvalidWorkspaceRequest("path cannot be resolved under the workspace root");
            }
        }
        return normalized;
    }

    private Path lexicallyUnder(Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        if (!normalized.startsWith(root) || normalized.equals(root)) {
            throw new InvalidWorkspaceRequest("path escapes the workspace root");
        }
        return normalized;
    }

    private String checkedKey(String key) {
        if (key == null || !CHECKOUT_KEY.matcher(key).matches()) {
            throw new InvalidWorkspaceRequest("not a checkout name");
        }
        return key;
    }

    private static Stream<String> childNames(Path directory) {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return Stream.empty();
        }
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(child -> Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS))
                    .map(child -> child.getFileName().toString())
                    .sorted()
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
