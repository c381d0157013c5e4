package dev.hayate.core.test;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only PKI made fresh in a temporary folder: a CA and leaf certificates it signs (ECDSA P-256, fast to
 * generate), written as PEM files the way an operator would have them (chain leaf first, unencrypted PKCS#8
 * key, CA bundle). Nothing here is ever committed.
 */
public final class TestCertificates
{
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A leaf: its chain file (leaf then CA), its key file and its public key.
     *
     * @param certificate chain PEM, leaf first.
     * @param key         unencrypted PKCS#8 PEM.
     * @param publicKey   of the leaf, for pins.
     */
    public record Leaf(Path certificate, Path key, PublicKey publicKey)
    {
    }

    private final Path directory;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caFile;

    private TestCertificates(final Path directory, final String name) throws IOException
    {
        this.directory = directory;
        this.name = name;
        try
        {
            caKeys = keyPair();
            final X500Name subject = new X500Name("CN=Hayate test CA " + name);
            final JcaX509v3CertificateBuilder builder = builder(subject, subject, caKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca = sign(builder, caKeys);
            caFile = directory.resolve(name + "-ca.pem");
            Files.writeString(caFile, pem(ca));
        }
        catch (final GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException ex)
        {
            throw new IOException(ex);
        }
    }

    /**
     * @param directory where the PEM files go (a test's temporary folder).
     * @param name      of this CA, to tell two apart.
     * @return a fresh CA.
     * @throws IOException if a file cannot be written.
     */
    public static TestCertificates ca(final Path directory, final String name) throws IOException
    {
        return new TestCertificates(directory, name);
    }

    /**
     * @return the CA bundle file a client trusts.
     */
    public Path caFile()
    {
        return caFile;
    }

    /**
     * Issues a leaf for server and client use.
     *
     * @param leafName file name stem and common name.
     * @param names    subject alternative names: DNS names or IP literals.
     * @return the leaf's files.
     * @throws IOException if generation or writing fails.
     */
    public Leaf issue(final String leafName, final String... names) throws IOException
    {
        try
        {
            final KeyPair keys = keyPair();
            final JcaX509v3CertificateBuilder builder = builder(new X500Name("CN=Hayate test CA " + name),
                new X500Name("CN=" + leafName), keys.getPublic());
            final List<ASN1Encodable> alternatives = new ArrayList<>();
            for (final String alternative : names)
            {
                alternatives.add(Character.isDigit(alternative.charAt(0)) || alternative.contains(":") ?
                    new GeneralName(GeneralName.iPAddress, alternative) : new GeneralName(GeneralName.dNSName, alternative));
            }
            if (!alternatives.isEmpty())
            {
                builder.addExtension(Extension.subjectAlternativeName, false,
                    new DERSequence(alternatives.toArray(new ASN1Encodable[0])));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            final X509Certificate leaf = sign(builder, caKeys);
            final Path certificate = directory.resolve(name + "-" + leafName + "-cert.pem");
            final Path key = directory.resolve(name + "-" + leafName + "-key.pem");
            Files.writeString(certificate, pem(leaf) + pem(ca));
            Files.writeString(key, pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
            return new Leaf(certificate, key, keys.getPublic());
        }
        catch (final GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException ex)
        {
            throw new IOException(ex);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static JcaX509v3CertificateBuilder builder(final X500Name issuer, final X500Name subject,
        final PublicKey key)
    {
        final Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, RANDOM).add(BigInteger.ONE),
            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject, key);
    }

    private static X509Certificate sign(final JcaX509v3CertificateBuilder builder, final KeyPair issuer)
        throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException, IOException
    {
        return new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    private static String pem(final Object object) throws IOException
    {
        final StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text))
        {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
