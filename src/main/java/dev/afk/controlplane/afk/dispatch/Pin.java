package dev.afk.controlplane.afk.dispatch;

import java.time.Instant;

/**
 * The content a trusted label released, as the pipeline first saw it for that label event.
 *
 * @param contentSha256 SHA-256 of the title and body, or null when the issue had already
 *     changed after the label when it was first seen (what was released is unknown)
 */
public record Pin(Instant labelledAt, String contentSha256) {}
