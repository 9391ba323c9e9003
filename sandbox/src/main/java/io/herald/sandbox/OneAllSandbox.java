package io.herald.sandbox;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in OneAll sandbox (docs/sandbox.md): an HTTP server that answers as OneAll's pages and
 * SDKs document the API (docs/oneall.md), with fault injection and a journal of every request. It is
 * the only fake in Herald, because the real API is out of reach of dev mode and the tests.
 *
 * <p>Administration (journal, faults, identities) is in process through this class, or over HTTP
 * under {@code /sandbox/} for programs in other processes.
 */
public final class OneAllSandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OneAllSandbox.class);

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final SiteKeys keys;
    private final SandboxSite site;
    private final Journal journal;
    private final FaultInjector faults;
    private final SandboxServer server;
    private volatile int port;

    private OneAllSandbox(Builder builder) {
        this.ownsVertx = builder.vertx == null;
        this.vertx =
                ownsVertx ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(builder.eventLoops)) : builder.vertx;
        this.keys = new SiteKeys(builder.publicKey, builder.privateKey);
        this.site = new SandboxSite(builder.clock, builder.autoProvision);
        this.journal = new Journal(builder.journalCapacity);
        this.faults = new FaultInjector(builder.clock);
        var api = new SandboxApi(keys, faults, site, journal, builder.republishAnswer);
        this.server = new SandboxServer(vertx, api, new SandboxAdmin(this), faults, site);
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
        return keys.publicKey();
    }

    public String privateKey() {
        return keys.privateKey();
    }

    /** Changes the site keys the sandbox accepts, as rotating them on OneAll's side would. */
    public void setKeys(String publicKey, String privateKey) {
        keys.set(publicKey, privateKey);
    }

    public Journal journal() {
        return journal;
    }

    public Faults faults() {
        return faults.faults();
    }

    /** Replaces the fault injection at run time; rule counters start again and rate-limit buckets are full again. */
    public void setFaults(Faults faults) {
        this.faults.set(Objects.requireNonNull(faults, "faults"));
    }

    /** Registers an identity of a provider for a user (a new user when {@code userToken} is null). */
    public void addIdentity(String identityToken, String provider, String userToken) {
        site.addIdentity(identityToken, provider, userToken);
    }

    @Override
    public void close() {
        try {
            server.stop();
            if (ownsVertx) {
                vertx.close().await(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.warn("the sandbox did not stop cleanly", e);
        }
    }

    private OneAllSandbox listen(String host, int requestedPort, int instances, int acceptBacklog) {
        try {
            port = server.listen(host, requestedPort, instances, acceptBacklog);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the OneAll sandbox could not listen on port " + requestedPort, e);
        }
        log.info("OneAll sandbox listening on {}", baseUri());
        return this;
    }

    /** How a sandbox starts: keys, port, clock, event loops and the readings of OneAll's pages it follows. */
    public static final class Builder {
        private String publicKey = UUID.randomUUID().toString();
        private String privateKey = UUID.randomUUID().toString();
        private int port;
        private String host = "127.0.0.1";
        private int eventLoops = 2;
        private int acceptBacklog = -1;
        private int journalCapacity = 2_000_000;
        private boolean autoProvision = true;
        private RepublishAnswer republishAnswer = RepublishAnswer.WHOLE_MESSAGE;
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

        /**
         * The listen queue: how many connections the kernel completes before the sandbox accepts them (the system's
         * default unless set). A short one, as some APIs' front ends have, makes a burst of handshakes wait or fail.
         */
        public Builder acceptBacklog(int connections) {
            this.acceptBacklog = connections;
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

        /**
         * Which publications a re-publish answer lists: the whole message (the default) or only the new
         * ones; {@link Faults#withRepublishAnswer} overrides it at run time.
         */
        public Builder republishAnswer(RepublishAnswer answer) {
            this.republishAnswer = Objects.requireNonNull(answer, "answer");
            return this;
        }

        /** The clock of dates in answers, short URL referrals and rate-limit buckets. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder vertx(Vertx vertx) {
            this.vertx = vertx;
            return this;
        }

        public OneAllSandbox start() {
            return new OneAllSandbox(this).listen(host, port, eventLoops, acceptBacklog);
        }
    }
}
