package io.herald.dev;

import io.herald.observe.UrlCredentials;

/** What dev mode tells a developer at start: that it is dev mode, and how to talk to it. */
final class DevBanner {
    private DevBanner() {}

    static void print(DevWorker dev) {
        var config = dev.config();
        var app = dev.worker();
        var out = System.out;
        out.println();
        out.println("==================================================================================");
        out.println(" HERALD DEV MODE: embedded infrastructure, data is temporary, nothing is really posted");
        out.println("==================================================================================");
        out.println("  KAFKA_BOOTSTRAP_SERVERS=" + config.kafka().bootstrapServers());
        out.println("  HERALD_DATABASE_URL="
                + UrlCredentials.masked(config.database().url()) + "   (user "
                + config.database().user() + ")");
        dev.infrastructure().sandbox().ifPresent(sandbox -> {
            out.println(
                    "  ONEALL_API_URL=" + sandbox.baseUri() + "   (the OneAll sandbox; journal at /sandbox/journal)");
        });
        out.println("  health and metrics: http://127.0.0.1:" + app.httpPort() + "/health/ready  /metrics");
        out.println();
        out.println("  Send commands from another terminal:");
        out.println("    KAFKA_BOOTSTRAP_SERVERS=" + config.kafka().bootstrapServers() + " \\");
        out.println("      java -jar worker/target/herald.jar enqueue schema/examples/push-twitter-post.json");
        out.println("  Ctrl-C stops the worker and the embedded servers.");
        out.println();
        out.flush();
    }
}
