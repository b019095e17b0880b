package dev.afk.controlplane.agents.channels;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * An agent's own channels: at most one Slack incoming webhook and one ntfy topic. What an agent's
 * binding may point at is checked here, so that a binding cannot make the service post to a host
 * of the binder's choosing; the webhook URL, a credential, is never logged nor shown in full.
 */
@ApplicationScoped
public class AgentChannels {

    private static final Logger LOG = Logger.getLogger(AgentChannels.class);
    private static final int MAX_URL = 500;
    private static final Pattern TOPIC = Pattern.compile("[-_A-Za-z0-9]{1,64}");
    private static final Pattern WEBHOOK_REST = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+){0,5}");

    private final Pool pool;
    private final Clock clock;
    private final ChannelsConfig config;
    private final Optional<URI> installNtfy;

    AgentChannels(Pool pool, Clock clock, ChannelsConfig config,
            @ConfigProperty(name = "afk.doorbell.ntfy.url") Optional<URI> installNtfy) {
        this.pool = pool;
        this.clock = clock;
        this.config = config;
        this.installNtfy = installNtfy.map(AgentChannels::withoutTrailingSlash);
    }

    public Uni<List<ChannelBinding>> list(long agentId) {
        return pool.preparedQuery("select channel, target, server, created_by, created_at from agent_channel "
                        + "where agent_id = $1 order by channel")
                .execute(Tuple.of(agentId))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(AgentChannels::binding).toList());
    }

    public Uni<ChannelBinding> bindSlack(long agentId, String agent, String webhookUrl, String by) {
        return bind(agentId, agent, "slack", slackWebhook(webhookUrl), null, by);
    }

    public Uni<ChannelBinding> bindNtfy(long agentId, String agent, String topic, String server, String by) {
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw ChannelProblem.invalid("topic must be 1 to 64 letters, digits, '-' or '_'");
        }
        return bind(agentId, agent, "ntfy", topic, ntfyServer(server), by);
    }

    /** Removes the binding; what it still owed is dropped with it. */
    public Uni<Void> unbind(long agentId, String agent, String channel, String by) {
        return pool.preparedQuery("delete from agent_channel where agent_id = $1 and channel = $2")
                .execute(Tuple.of(agentId, channel))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ChannelProblem.notBound(channel);
                    }
                    LOG.infof("Agent %s: %s binding removed by %s", agent, channel, by);
                    return null;
                });
    }

    private Uni<ChannelBinding> bind(long agentId, String agent, String channel, String target, String server, String by) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return pool.preparedQuery("""
                        insert into agent_channel (agent_id, channel, target, server, created_by, created_at)
                        values ($1, $2, $3, $4, $5, $6)
                        on conflict (agent_id, channel) do update
                        set target = excluded.target, server = excluded.server, created_by = excluded.created_by,
                            created_at = excluded.created_at
                        returning channel, target, server, created_by, created_at""")
                .execute(Tuple.from(Arrays.asList(agentId, channel, target, server, by, now)))
                .map(rows -> {
                    // Never the target: a webhook URL is the credential.
                    LOG.infof("Agent %s: %s binding set by %s", agent, channel, by);
                    return binding(rows.iterator().next());
                });
    }

    /**
     * A Slack incoming-webhook URL under one of the allowed prefixes, with nothing a parser could
     * read two ways: no user info, query, fragment, dot segment, encoding or odd character.
     */
    static String slackWebhook(String url, List<String> prefixes) {
        if (url == null || url.isBlank()) {
            throw ChannelProblem.invalid("webhookUrl is required");
        }
        if (url.length() > MAX_URL || !url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ChannelProblem.invalid("webhookUrl must be at most " + MAX_URL + " printable ASCII characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ChannelProblem.invalid("webhookUrl is not a URL");
        }
        boolean plain = uri.isAbsolute() && uri.getRawUserInfo() == null && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getHost() != null && uri.getRawPath() != null
                && uri.normalize().getRawPath().equals(uri.getRawPath());
        String prefix = prefixes.stream().filter(p -> !p.isBlank() && url.startsWith(p)).findFirst().orElse(null);
        if (!plain || prefix == null || !WEBHOOK_REST.matcher(url.substring(prefix.length())).matches()) {
            throw ChannelProblem.invalid("webhookUrl must be a Slack incoming-webhook URL (" + String.join(" or ", prefixes) + "…)");
        }
        return url;
    }

    private String slackWebhook(String url) {
        return slackWebhook(url, config.slackWebhookPrefixes());
    }

    /** The server as stored: null for the install's; otherwise one of the allowed others. */
    private String ntfyServer(String server) {
        if (server == null || server.isBlank()) {
            if (installNtfy.isEmpty()) {
                throw ChannelProblem.invalid("this install has no ntfy server: name one of the allowed servers");
            }
            return null;
        }
        URI uri;
        try {
            uri = server.length() > MAX_URL ? null : withoutTrailingSlash(new URI(server));
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri != null && installNtfy.isPresent() && uri.equals(installNtfy.get())) {
            return null;
        }
        URI given = uri;
        boolean allowed = given != null && "https".equals(given.getScheme()) && config.ntfyServers().orElse(List.of()).stream()
                .map(AgentChannels::withoutTrailingSlash).anyMatch(given::equals);
        if (!allowed) {
            throw ChannelProblem.invalid("server must be this install's ntfy server or one of the allowed ones");
        }
        return given.toString();
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    private static ChannelBinding binding(Row row) {
        String channel = row.getString("channel");
        String target = row.getString("target");
        return new ChannelBinding(channel, "slack".equals(channel) ? masked(target) : target, row.getString("server"),
                row.getString("created_by"), row.getOffsetDateTime("created_at").toInstant());
    }

    /** Scheme and host only: the rest of a webhook URL is its secret. */
    static String masked(String webhookUrl) {
        URI uri = URI.create(webhookUrl);
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + "/…";
    }
}
