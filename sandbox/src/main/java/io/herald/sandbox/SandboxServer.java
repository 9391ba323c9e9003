package io.herald.sandbox;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/** The sandbox's HTTP side: one Vert.x server per event loop, the API answered after the faults' latency, {@code /sandbox/} to the admin. */
final class SandboxServer {
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final Vertx vertx;
    private final SandboxApi api;
    private final SandboxAdmin admin;
    private final FaultInjector faults;
    private final SandboxSite site;
    private String deploymentId;

    SandboxServer(Vertx vertx, SandboxApi api, SandboxAdmin admin, FaultInjector faults, SandboxSite site) {
        this.vertx = vertx;
        this.api = api;
        this.admin = admin;
        this.faults = faults;
        this.site = site;
    }

    /**
     * Listens and returns the port; port 0 picks a free one. {@code acceptBacklog}: the listen queue of connections
     * the kernel completes before the server accepts them ({@code -1}: the system's default).
     */
    int listen(String host, int requestedPort, int instances, int acceptBacklog) throws Exception {
        var options = new HttpServerOptions()
                .setAcceptBacklog(acceptBacklog)
                .setHost(host)
                .setPort(requestedPort)
                .setMaxInitialLineLength(8192)
                .setIdleTimeout(120);
        if (requestedPort == 0 && instances > 1) {
            // Vert.x shares one port among instances only when it is known in advance.
            options.setPort(freePort());
        }
        var holder = new HttpServer[1];
        deploymentId = vertx.deployVerticle(
                        () -> new VerticleBase() {
                            @Override
                            public Future<?> start() {
                                return vertx.createHttpServer(options)
                                        .requestHandler(SandboxServer.this::handle)
                                        .listen()
                                        .onSuccess(server -> holder[0] = server);
                            }
                        },
                        new DeploymentOptions().setInstances(instances))
                .await(30, TimeUnit.SECONDS);
        return holder[0].actualPort();
    }

    void stop() throws Exception {
        if (deploymentId != null) {
            vertx.undeploy(deploymentId).await(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
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
            } else if (request.path().startsWith("/sandbox/")) {
                admin.handle(request, body.result());
            } else {
                respond(request, ApiCall.of(request, body.result()));
            }
        });
    }

    private void respond(HttpServerRequest request, ApiCall call) {
        var answer = api.handle(call);
        if (answer.hang()) {
            return;
        }
        var payload = Envelope.render(call.resource(), answer, site.now());
        Runnable send = () -> {
            var response = request.response()
                    .setStatusCode(answer.status())
                    .putHeader("Content-Type", Envelope.contentType(answer));
            if (answer.retryAfterSeconds() > 0) {
                response.putHeader("Retry-After", Integer.toString(answer.retryAfterSeconds()));
            }
            response.end(payload);
        };
        long delay = faults.delayMillis();
        if (delay > 0) {
            vertx.setTimer(delay, id -> send.run());
        } else {
            send.run();
        }
    }
}
