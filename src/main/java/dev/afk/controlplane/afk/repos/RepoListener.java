package dev.afk.controlplane.afk.repos;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * What the parts built on repositories (the registry's agents, the runs' timelines) do when a
 * repository's levers move. They implement it, so this package depends on none of them.
 */
public interface RepoListener {

    /** After enrollment. */
    default Uni<Void> enrolled(Repo repo) {
        return Uni.createFrom().voidItem();
    }

    /** After un-enrollment, with the repository as it was. */
    default Uni<Void> unenrolled(Repo repo) {
        return Uni.createFrom().voidItem();
    }

    /** After a pause or a resume; {@code repo} is the new state. */
    default Uni<Void> pausedChanged(Repo repo) {
        return Uni.createFrom().voidItem();
    }

    /** Inside the unfreeze transaction, with the repository as it was while frozen. */
    default Uni<Void> unfrozen(SqlClient sql, Repo repo, String by) {
        return Uni.createFrom().voidItem();
    }
}
