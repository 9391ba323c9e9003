package io.herald.sandbox;

import io.herald.testing.MutableClock;
import io.herald.testing.SandboxHttp;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A sandbox started for each test on a clock the test moves, with an HTTP client holding the site's keys. */
abstract class SandboxFixture {
    protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    protected OneAllSandbox sandbox;
    protected SandboxHttp http;

    /** How many event loops serve the sandbox: one, unless a test needs calls served side by side. */
    protected int eventLoops() {
        return 1;
    }

    @BeforeEach
    void start() {
        sandbox = OneAllSandbox.builder().clock(clock).eventLoops(eventLoops()).start();
        http = new SandboxHttp(sandbox.baseUri(), sandbox.publicKey(), sandbox.privateKey());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }
}
