package dev.hayate.benchmarks.impl;

import dev.hayate.core.test.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Certificates for the TLS rows ({@code hayate-tls}, {@code hayate-tls-openssl}, {@code netty-tls}): the serving
 * child makes a throw-away CA and a server certificate for 127.0.0.1 in a temporary folder (deleted at exit) and
 * reports {@code PORT;CA-FILE} as its address, so the measuring parent trusts exactly that CA and checks the name,
 * as a real client would.
 */
final class BenchTls {
    private static final char SEPARATOR = ';';

    private BenchTls() {
    }

    /** A server's certificate files and the CA that signed it. */
    record Material(Path certificate, Path key, Path ca) {
    }

    /**
     * @return fresh material in a temporary folder deleted when the JVM exits
     */
    static Material create() {
        try {
            Path directory = Files.createTempDirectory("hayate-bench-tls");
            TestCertificates ca = TestCertificates.ca(directory, "bench");
            TestCertificates.Leaf leaf = ca.issue("server", "localhost", "127.0.0.1");
            // Deleted in the reverse order of registration: the files, then their folder.
            directory.toFile().deleteOnExit();
            try (Stream<Path> files = Files.list(directory)) {
                files.forEach(file -> file.toFile().deleteOnExit());
            }
            return new Material(leaf.certificate(), leaf.key(), ca.caFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param port bound
     * @param material of the server
     * @return the address the child reports
     */
    static String address(int port, Material material) {
        return Integer.toString(port) + SEPARATOR + material.ca();
    }

    /**
     * @param address as reported
     * @return its port part, for {@link Loopback#port(String)}
     */
    static String port(String address) {
        int at = address.indexOf(SEPARATOR);
        return at < 0 ? address : address.substring(0, at);
    }

    /**
     * @param address as reported
     * @return the CA file to trust
     */
    static Path ca(String address) {
        int at = address.indexOf(SEPARATOR);
        if (at < 0) {
            throw new IllegalArgumentException("a TLS row's address carries its CA file: " + address);
        }
        return Path.of(address.substring(at + 1).trim());
    }
}
