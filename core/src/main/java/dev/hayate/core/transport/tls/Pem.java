package dev.hayate.core.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM certificates and unencrypted PKCS#8 private keys with the JDK alone, and computes the pin of a
 * public key.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class Pem
{
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";
    // Tried in turn: a PKCS#8 structure names its algorithm, but KeyFactory wants to be told.
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS");

    private Pem()
    {
    }

    /**
     * @param file one or more {@code CERTIFICATE} blocks (a chain leaf first, or a CA bundle).
     * @return the certificates in file order.
     * @throws IOException if the file cannot be read or holds no certificate.
     */
    public static List<X509Certificate> readCertificates(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        try
        {
            final CertificateFactory factory = CertificateFactory.getInstance("X.509");
            final List<X509Certificate> certificates = new ArrayList<>();
            for (final java.security.cert.Certificate certificate :
                factory.generateCertificates(new ByteArrayInputStream(bytes)))
            {
                certificates.add((X509Certificate)certificate);
            }
            if (certificates.isEmpty())
            {
                throw new IOException(file + " holds no PEM CERTIFICATE block");
            }
            return certificates;
        }
        catch (final CertificateException ex)
        {
            throw new IOException(file + " is not a PEM certificate file: " + ex.getMessage(), ex);
        }
    }

    /**
     * @param file one {@code PRIVATE KEY} block (unencrypted PKCS#8) of an EC, RSA or EdDSA key.
     * @return the key.
     * @throws IOException if the file cannot be read, holds another format, or an unknown key type.
     */
    public static PrivateKey readPrivateKey(final Path file) throws IOException
    {
        final String text = Files.readString(file, StandardCharsets.US_ASCII);
        final int begin = text.indexOf(KEY_BEGIN);
        final int end = text.indexOf(KEY_END);
        if (begin < 0 || end < begin)
        {
            final String hint = text.contains("ENCRYPTED PRIVATE KEY") ? "it is encrypted" :
                text.contains("EC PRIVATE KEY") || text.contains("RSA PRIVATE KEY") ? "it is in a legacy format" :
                "no PRIVATE KEY block";
            throw new IOException(file + " is not an unencrypted PKCS#8 PEM key (" + hint +
                "); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        final byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + KEY_BEGIN.length(), end));
        final PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        try
        {
            for (final String algorithm : KEY_ALGORITHMS)
            {
                try
                {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                }
                catch (final InvalidKeySpecException | NoSuchAlgorithmException ex)
                {
                    // Not this algorithm: try the next.
                }
            }
            throw new IOException(file + " holds a PKCS#8 key of a type this JDK cannot read");
        }
        finally
        {
            Arrays.fill(der, (byte)0);
        }
    }

    /**
     * The pin of a key as HTTP public key pinning and {@code curl --pinnedpubkey} write it: SHA-256 of its
     * DER SubjectPublicKeyInfo, base64. The same as
     * {@code openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64}.
     *
     * @param key a public key.
     * @return its pin, base64 of 32 bytes.
     */
    public static String pinSha256(final PublicKey key)
    {
        try
        {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JDK", ex);
        }
    }
}
