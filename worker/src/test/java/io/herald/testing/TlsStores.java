package io.herald.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority of a test's own, and stores made from it with the JDK's {@code keytool}, as an operator
 * makes them: a broker's key store (its key, signed by the authority, for {@code 127.0.0.1} and {@code localhost}) and
 * a client's trust store that holds only the authority. PKCS12, one password for all.
 */
public record TlsStores(Path brokerKeyStore, Path clientTrustStore, String password) {

    /** Makes the authority and both stores in {@code directory}. */
    public static TlsStores create(Path directory) {
        var password = "store-" + Long.toHexString(System.nanoTime());
        var authority = directory.resolve("ca.p12");
        var broker = directory.resolve("broker.p12");
        var trust = directory.resolve("truststore.p12");
        var request = directory.resolve("broker.csr");
        var signed = directory.resolve("broker.crt");
        var authorityCertificate = directory.resolve("ca.crt");
        var names = "SAN=dns:localhost,ip:127.0.0.1";
        keyPair(password, authority, "ca", "CN=Herald test CA", "bc:c");
        keytool(
                password,
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                authority.toString(),
                "-file",
                authorityCertificate.toString());
        keyPair(password, broker, "broker", "CN=localhost", names);
        keytool(password, "-certreq", "-alias", "broker", "-keystore", broker.toString(), "-file", request.toString());
        keytool(
                password,
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                authority.toString(),
                "-infile",
                request.toString(),
                "-outfile",
                signed.toString(),
                "-ext",
                names,
                "-validity",
                "2");
        trust(password, broker, "ca", authorityCertificate);
        trust(password, broker, "broker", signed);
        trust(password, trust, "ca", authorityCertificate);
        return new TlsStores(broker, trust, password);
    }

    private static void keyPair(String password, Path store, String alias, String name, String extension) {
        keytool(
                password,
                "-genkeypair",
                "-alias",
                alias,
                "-dname",
                name,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-ext",
                extension,
                "-keystore",
                store.toString());
    }

    /** Imports a certificate: the authority's as trusted, or a key's own once signed (its chain then verified). */
    private static void trust(String password, Path store, String alias, Path certificate) {
        keytool(
                password,
                "-importcert",
                "-noprompt",
                "-alias",
                alias,
                "-file",
                certificate.toString(),
                "-keystore",
                store.toString());
    }

    private static void keytool(String password, String... args) {
        var command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
        if (List.of(args).contains("-genkeypair")) {
            command.addAll(List.of("-keypass", password));
        }
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
