package io.herald.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.VerticleBase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in OneAll sandbox: an HTTP server that answers as {@code oneall-api.md} and OneAll's own
 * pages document, with fault injection and a journal of every request. It is the only fake in
 * Herald, because the real API is out of reach of dev mode and the tests.
 *
 * <p>Administration (journal, faults, identities) is in process through this class, or over HTTP
 * under {@code /sandbox/} for programs in other processes.
 */
public final class OneAllSandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OneAllSandbox.class);
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private volatile String publicKey;
    private volatile String privateKey;
    private final SandboxSite site;
    private final Journal journal;
    private final SandboxAdmin admin;
    private final Map<FaultRule, AtomicInteger> ruleMatches = new ConcurrentHashMap<>();
    private volatile Faults faults = Faults.NONE;
    private volatile int port;
    private String deploymentId;

    private OneAllSandbox(Builder builder) {
        this.ownsVertx = builder.vertx == null;
        this.vertx = ownsVertx
                ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(builder.eventLoops))
                : builder.vertx;
        this.publicKey = builder.publicKey;
        this.privateKey = builder.privateKey;
        this.site = new SandboxSite(builder.clock, builder.autoProvision);
        this.journal = new Journal(builder.journalCapacity);
        this.admin = new SandboxAdmin(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a sandbox with random keys on a free loopback port. */
    public static OneAllSandbox start() {
        return builder().start();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public String publicKey() {
        return publicKey;
    }

    public String privateKey() {
        return privateKey;
    }

    /** Changes the site keys the sandbox accepts, as rotating them on OneAll's side would. */
    public void setKeys(String publicKey, String privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    public Journal journal() {
        return journal;
    }

    public Faults faults() {
        return faults;
    }

    /** Replaces the fault injection at run time; rule counters start again. */
    public void setFaults(Faults faults) {
        ruleMatches.clear();
        this.faults = faults;
    }

    /** Registers an identity of a provider for a user (a new user when {@code userToken} is null). */
    public void addIdentity(String identityToken, String provider, String userToken) {
        site.addIdentity(identityToken, provider, userToken);
    }



    @Override
    public void close() {
        try {
            if (deploymentId != null) {
                vertx.undeploy(deploymentId).await(10, TimeUnit.SECONDS);
            }
            if (ownsVertx) {
                vertx.close().await(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.warn("the sandbox did not stop cleanly", e);
        }
    }

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port on loopback", e);
        }
    }

    private OneAllSandbox listen(String host, int requestedPort, int instances) {
        var options = new HttpServerOptions().setHost(host).setPort(requestedPort)
                .setMaxInitialLineLength(8192).setIdleTimeout(120);
        try {
            if (requestedPort == 0 && instances > 1) {
                // Vert.x shares one port among instances only when it is known in advance.
                options.setPort(freePort());
            }
            var holder = new HttpServer[1];
            deploymentId = vertx.deployVerticle(() -> new VerticleBase() {
                @Override
                public Future<?> start() {
                    return vertx.createHttpServer(options).requestHandler(OneAllSandbox.this::handle)
                            .listen().onSuccess(server -> holder[0] = server);
                }
            }, new DeploymentOptions().setInstances(instances)).await(30, TimeUnit.SECONDS);
            port = holder[0].actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("the OneAll sandbox could not listen on port " + requestedPort, e);
        }
        log.info("OneAll sandbox listening on {}", baseUri());
        return this;
    }

    private void handle(HttpServerRequest request) {
        var length = request.getHeader("Content-Length");
        if (length != null && length.matches("\\d{1,12}") && Long.parseLong(length) > MAX_BODY_BYTES) {
            request.response().setStatusCode(413).end();
            return;
        }
        request.body().onComplete(body -> {
            if (body.failed()) {
                request.response().setStatusCode(400).end();
                return;
            }
            if (request.path().startsWith("/sandbox/")) {
                admin.handle(request, body.result());
            } else {
                api(request, body.result());
            }
        });
    }

    private void api(HttpServerRequest request, Buffer body) {
        var call = ApiCall.of(request, body);
        var answer = answer(call);
        journal.add(site.now(), call.method(), call.resource(), call.pathToken(), call.target(), call.bodyDigest(),
                call.excerpt(), answer.status(), answer.effect(), answer.fault());
        if (answer.hang()) {
            return;
        }
        long delay = delayMillis();
        var payload = Envelope.render(call.resource(), answer, site.now());
        Runnable respond = () -> {
            var response = request.response().setStatusCode(answer.status())
                    .putHeader("Content-Type", "application/json; charset=utf-8");
            if (answer.retryAfterSeconds() > 0) {
                response.putHeader("Retry-After", Integer.toString(answer.retryAfterSeconds()));
            }
            response.end(payload);
        };
        if (delay > 0) {
            vertx.setTimer(delay, id -> respond.run());
        } else {
            respond.run();
        }
    }

    private Answer answer(ApiCall call) {
        if (!authorized(call.authorization())) {
            return Answer.error(401, "Authentication credentials are missing or incorrect: "
                    + "http://docs.oneall.com/api/basic/authentication/");
        }
        var current = faults;
        if (current.outage()) {
            return Answer.fault(503, "The API is overloaded with requests (sandbox outage)", "outage",
                    current.retryAfterSeconds());
        }
        var rule = matchingRule(current, call, null);
        if (rule != null && !rule.hang()) {
            return Answer.fault(rule.status(), "Sandbox fault rule for " + rule.token(), "rule", rule.retryAfterSeconds());
        }
        var injected = randomError(current);
        if (injected != 0) {
            return Answer.fault(injected, "Sandbox injected error " + injected, "rate",
                    injected == 429 || injected == 503 ? current.retryAfterSeconds() : 0);
        }
        var answer = route(call);
        return rule != null && rule.hang() ? answer.hanging() : answer;
    }

    private Answer route(ApiCall call) {
        var path = call.path();
        SandboxSite.PublicationFaults publicationFaults = (token, provider) -> {
            var rule = matchingRule(faults, call, provider);
            return rule == null || rule.hang() ? 0 : rule.status();
        };
        if (path.equals("/tools/ping.json") && call.method().equals("GET")) {
            return new Answer(200, null, null, false, null, 0, false);
        }
        if (path.equals("/sharing/messages.json")) {
            return switch (call.method()) {
                case "POST" -> call.json() == null ? invalidBody() : site.publish(call.json(), publicationFaults);
                case "GET" -> site.list(call.intParam("page", 1), call.intParam("entries_per_page", 250),
                        "desc".equals(call.param("order_direction")));
                default -> Answer.error(405, "Method not allowed");
            };
        }
        var message = ApiCall.SHARING_MESSAGE.matcher(path);
        if (message.matches()) {
            var token = message.group(1);
            return switch (call.method()) {
                case "GET" -> site.read(token);
                case "POST" -> call.json() == null ? invalidBody() : site.republish(token, call.json(), publicationFaults);
                case "DELETE" -> site.delete(token, "true".equals(call.param("confirm_deletion")));
                default -> Answer.error(405, "Method not allowed");
            };
        }
        var push = ApiCall.PUSH.matcher(path);
        if (push.matches() && call.method().equals("POST")) {
            return call.json() == null ? invalidBody() : site.push(push.group(1), push.group(2), call.json());
        }
        return Answer.error(404, "The resource " + path + " does not exist");
    }

    private static Answer invalidBody() {
        return Answer.error(400, "The request body must be a JSON object with a request node");
    }

    private FaultRule matchingRule(Faults current, ApiCall call, String provider) {
        for (var rule : current.rules()) {
            boolean tokenMatches = rule.token().equals(call.pathToken()) || rule.token().equals(call.target());
            boolean providerMatches = provider == null ? rule.provider() == null : provider.equals(rule.provider());
            if (tokenMatches && providerMatches) {
                if (rule.failFirst() == 0) {
                    return rule;
                }
                int matched = ruleMatches.computeIfAbsent(rule, r -> new AtomicInteger()).incrementAndGet();
                if (matched <= rule.failFirst()) {
                    return rule;
                }
            }
        }
        return null;
    }

    private static int randomError(Faults current) {
        if (current.errorRates().isEmpty()) {
            return 0;
        }
        double draw = java.util.concurrent.ThreadLocalRandom.current().nextDouble();
        double cumulative = 0;
        for (var rate : current.errorRates().entrySet()) {
            cumulative += rate.getValue();
            if (draw < cumulative) {
                return rate.getKey();
            }
        }
        return 0;
    }

    private long delayMillis() {
        var current = faults;
        long delay = current.latencyMs();
        if (current.latencyJitterMs() > 0) {
            double u = java.util.concurrent.ThreadLocalRandom.current().nextDouble();
            delay += (long) (-Math.log(1 - u) * current.latencyJitterMs());
        }
        return delay;
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = java.util.Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = (publicKey + ":" + privateKey).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }

    static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


    /** How a sandbox starts: keys, port, clock and event loops. */
    public static final class Builder {
        private String publicKey = UUID.randomUUID().toString();
        private String privateKey = UUID.randomUUID().toString();
        private int port;
        private String host = "127.0.0.1";
        private int eventLoops = 2;
        private int journalCapacity = 2_000_000;
        private boolean autoProvision = true;
        private Clock clock = Clock.systemUTC();
        private Vertx vertx;

        public Builder keys(String publicKey, String privateKey) {
            this.publicKey = publicKey;
            this.privateKey = privateKey;
            return this;
        }

        /** The address to listen on: loopback unless told otherwise (in a container, {@code 0.0.0.0}). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder eventLoops(int eventLoops) {
            this.eventLoops = eventLoops;
            return this;
        }

        public Builder journalCapacity(int capacity) {
            this.journalCapacity = capacity;
            return this;
        }

        /** When on (the default), unknown user and identity tokens become known on first use. */
        public Builder autoProvision(boolean on) {
            this.autoProvision = on;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder vertx(Vertx vertx) {
            this.vertx = vertx;
            return this;
        }

        public OneAllSandbox start() {
            return new OneAllSandbox(this).listen(host, port, eventLoops);
        }
    }
}
