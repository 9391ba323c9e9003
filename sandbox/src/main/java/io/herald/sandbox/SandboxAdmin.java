package io.herald.sandbox;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Map;

/**
 * The sandbox's own HTTP administration, for tests and tools in other processes:
 * {@code GET|DELETE /sandbox/journal[?token=T]}, {@code GET|PUT /sandbox/faults},
 * {@code POST /sandbox/identities} with {@code {identity_token, provider, user_token?}}.
 *
 * <p>{@code PUT /sandbox/faults} takes a {@link Faults} as JSON, every field optional, in camelCase or
 * snake_case, for example {@code {"latency_ms": 20, "error_rates": {"503": 0.05}, "rate_limits":
 * {"twitter": {"per_second": 100, "burst": 100}}, "anomaly_rates": {"html_page": 0.01},
 * "republish_answer": "new_publications", "rules": [{"token": "T", "anomaly": "nul_character"}]}};
 * it answers the faults now in force.
 */
final class SandboxAdmin {
    private final OneAllSandbox sandbox;

    SandboxAdmin(OneAllSandbox sandbox) {
        this.sandbox = sandbox;
    }

    void handle(HttpServerRequest request, Buffer body) {
        try {
            var method = request.method().name();
            switch (request.path()) {
                case "/sandbox/journal" -> {
                    if (method.equals("DELETE")) {
                        sandbox.journal().clear();
                        reply(request, 200, Map.of("cleared", true));
                    } else {
                        var token = request.getParam("token");
                        var entries = token == null
                                ? sandbox.journal().entries()
                                : sandbox.journal().forToken(token);
                        reply(request, 200, Map.of("received", sandbox.journal().received(), "entries", entries));
                    }
                }
                case "/sandbox/faults" -> {
                    if (method.equals("PUT")) {
                        sandbox.setFaults(Json.MAPPER.readValue(body.getBytes(), Faults.class));
                    }
                    reply(request, 200, sandbox.faults());
                }
                case "/sandbox/identities" -> {
                    var node = Json.MAPPER.readTree(body.getBytes());
                    var identity = node.path("identity_token").asText(null);
                    var provider = node.path("provider").asText(null);
                    if (identity == null || provider == null) {
                        reply(request, 400, Map.of("error", "identity_token and provider are required"));
                        return;
                    }
                    sandbox.addIdentity(
                            identity, provider, node.path("user_token").asText(null));
                    reply(request, 200, Map.of("identity_token", identity, "provider", provider));
                }
                default -> reply(request, 404, Map.of("error", "no such sandbox resource: " + request.path()));
            }
        } catch (IOException | IllegalArgumentException e) {
            reply(request, 400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private static void reply(HttpServerRequest request, int status, Object value) {
        try {
            request.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(Json.MAPPER.writeValueAsBytes(value)));
        } catch (IOException e) {
            request.response().setStatusCode(500).end();
        }
    }
}
