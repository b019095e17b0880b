package dev.afk.controlplane.agents.container.docker;

import dev.afk.controlplane.agents.container.UnreadableFileException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** The engine's archive API speaks tar: one file in, one file out, bounded. */
final class Archives {

    /** Go's {@code os.ModeDir}, as the path stat header carries the mode. */
    private static final long GO_MODE_DIR = 1L << 31;

    private Archives() {}

    /** The size in the base64 JSON path stat header; refuses directories, and files over {@code max}. */
    static void checkStat(String header, String path, int max) {
        if (header == null) {
            return; // no stat: the bounded read below still holds
        }
        io.vertx.core.json.JsonObject stat;
        try {
            stat = new io.vertx.core.json.JsonObject(new String(Base64.getDecoder().decode(header.strip()),
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return;
        }
        long mode = stat.getLong("mode", 0L);
        if ((mode & GO_MODE_DIR) != 0 || Boolean.TRUE.equals(stat.getBoolean("isDir"))) {
            throw new UnreadableFileException(path + " is a directory");
        }
        long size = stat.getLong("size", 0L);
        if (size > max) {
            throw new UnreadableFileException(path + " has " + size + " bytes, more than " + max);
        }
    }

    /** The first entry of the tar, which must be a regular file of at most {@code max} bytes. */
    static byte[] singleFile(byte[] tar, String path, int max) {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry entry = in.getNextEntry();
            if (entry == null || !entry.isFile()) {
                throw new UnreadableFileException(path + " is not a regular file");
            }
            if (entry.getSize() > max) {
                throw new UnreadableFileException(path + " has " + entry.getSize() + " bytes, more than " + max);
            }
            return in.readNBytes((int) entry.getSize());
        } catch (IOException e) {
            throw new UnreadableFileException(path + " came back as no readable tar: " + e.getMessage());
        }
    }

    /** A tar of one regular file named {@code name}, readable and writable by its owner and readable by others. */
    static byte[] oneFile(String name, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(content.length + 2048);
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(content.length);
            entry.setMode(0100644);
            entry.setModTime(java.util.Date.from(Instant.now()));
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
