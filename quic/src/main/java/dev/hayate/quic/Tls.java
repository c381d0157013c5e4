package dev.hayate.quic;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates and trust: self-signed generation (bouncycastle bcpkix), PEM reading and writing, and
 * trust managers for a CA bundle (with a host name check) or, for development, for anything.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
final class Tls
{
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tls()
    {
    }

    /**
     * A private key and its certificate chain, leaf first.
     */
    record Identity(PrivateKey key, List<X509Certificate> chain)
    {
        String chainPem()
        {
            return toPem(chain.toArray());
        }

        /**
         * @return the key as unencrypted PKCS#8 ("PRIVATE KEY"), which every tool reads for any key type.
         */
        String keyPem()
        {
            try
            {
                return toPem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate());
            }
            catch (final org.bouncycastle.util.io.pem.PemGenerationException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        /**
         * @return kwik's name for the curve of an EC key, or null for other keys.
         */
        String ecCurve()
        {
            if (!(key instanceof java.security.interfaces.ECKey))
            {
                return null;
            }
            final int bits = ((java.security.interfaces.ECKey)key).getParams().getCurve().getField().getFieldSize();
            return bits <= 256 ? "secp256r1" : bits <= 384 ? "secp384r1" : "secp521r1";
        }

        KeyStore keyStore(final String alias, final char[] password) throws IOException
        {
            try
            {
                final KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry(alias, key, password, chain.toArray(new X509Certificate[0]));
                return store;
            }
            catch (final GeneralSecurityException ex)
            {
                throw new IOException("cannot build a key store: " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * ECDSA P-256: generated in about a millisecond (RSA-2048 takes hundreds on a busy machine) and
     * supported by both backends' TLS 1.3 (BoringSSL and kwik's agent15). The certificate has the
     * names as subject alternative names (DNS or IP) and a one-year validity starting an hour ago, so a
     * clock a little behind still accepts it.
     */
    static Identity selfSigned(final List<String> names) throws IOException
    {
        try
        {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"), RANDOM);
            final KeyPair pair = generator.generateKeyPair();
            final X500Name subject = new X500Name("CN=" + names.get(0).replace(",", "\\,") + ",O=Hayate self-signed");
            final Instant now = Instant.now();
            final JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(63, RANDOM).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(365))), subject, pair.getPublic());
            final List<ASN1Encodable> alternatives = new ArrayList<>();
            for (final String name : names)
            {
                alternatives.add(isIpLiteral(name) ? new GeneralName(GeneralName.iPAddress, name) :
                    new GeneralName(GeneralName.dNSName, name));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                new DERSequence(alternatives.toArray(new ASN1Encodable[0])));
            // A self-signed certificate is its own CA: clients put it in their CA bundle.
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
            final X509CertificateHolder holder = builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            final X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            return new Identity(pair.getPrivate(), List.of(certificate));
        }
        catch (final GeneralSecurityException | OperatorCreationException ex)
        {
            throw new IOException("cannot generate a self-signed certificate: " + ex.getMessage(), ex);
        }
    }

    static Identity fromPem(final String chainPem, final String keyPem) throws IOException
    {
        final List<X509Certificate> chain = certificates(chainPem);
        if (chain.isEmpty())
        {
            throw new IOException("no certificate in the PEM certificate chain");
        }
        try (PEMParser parser = new PEMParser(new StringReader(keyPem)))
        {
            final Object object = parser.readObject();
            final JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            final PrivateKey key;
            if (object instanceof PEMKeyPair)
            {
                // A SEC1 "EC PRIVATE KEY" may omit the public key, which getKeyPair would need.
                key = converter.getPrivateKey(((PEMKeyPair)object).getPrivateKeyInfo());
            }
            else if (object instanceof PrivateKeyInfo)
            {
                key = converter.getPrivateKey((PrivateKeyInfo)object);
            }
            else
            {
                throw new IOException("the private key PEM holds no unencrypted private key (found " +
                    (object == null ? "nothing" : object.getClass().getSimpleName()) + ")");
            }
            return new Identity(key, chain);
        }
    }

    static List<X509Certificate> certificates(final String pem) throws IOException
    {
        final List<X509Certificate> certificates = new ArrayList<>();
        final JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem)))
        {
            Object object;
            while ((object = parser.readObject()) != null)
            {
                if (object instanceof X509CertificateHolder)
                {
                    certificates.add(converter.getCertificate((X509CertificateHolder)object));
                }
            }
        }
        catch (final CertificateException ex)
        {
            throw new IOException("bad certificate in PEM: " + ex.getMessage(), ex);
        }
        return certificates;
    }

    static String toPem(final Object... objects)
    {
        final StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text))
        {
            for (final Object object : objects)
            {
                writer.writeObject(object);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        return text.toString();
    }

    /**
     * Trusts chains ending at a certificate of the bundle, then checks that the leaf names
     * {@code serverName} (a DNS name or an IP literal) in its subject alternative names.
     */
    static NameChecking trustingCa(final String caPem, final String serverName) throws IOException
    {
        final List<X509Certificate> cas = certificates(caPem);
        if (cas.isEmpty())
        {
            throw new IOException("no certificate in the PEM CA bundle");
        }
        try
        {
            final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++)
            {
                store.setCertificateEntry("ca" + i, cas.get(i));
            }
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (final TrustManager manager : factory.getTrustManagers())
            {
                if (manager instanceof X509TrustManager)
                {
                    return new NameChecking((X509TrustManager)manager, serverName);
                }
            }
            throw new IOException("no X509 trust manager available");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException("cannot build a trust manager: " + ex.getMessage(), ex);
        }
    }

    static X509TrustManager trustingAnything()
    {
        return new X509TrustManager()
        {
            @Override
            public void checkClientTrusted(final X509Certificate[] chain, final String authType)
            {
            }

            @Override
            public void checkServerTrusted(final X509Certificate[] chain, final String authType)
            {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers()
            {
                return new X509Certificate[0];
            }
        };
    }

    static boolean isIpLiteral(final String name)
    {
        return name.indexOf(':') >= 0 || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /**
     * Remembers why it rejected a chain, because a TLS stack in C (BoringSSL) reports only a generic
     * verification failure.
     */
    static final class NameChecking implements X509TrustManager
    {
        private final X509TrustManager delegate;
        private final String serverName;
        private volatile CertificateException rejection;

        NameChecking(final X509TrustManager delegate, final String serverName)
        {
            this.delegate = delegate;
            this.serverName = serverName;
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
        {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
        {
            try
            {
                delegate.checkServerTrusted(chain, authType);
            }
            catch (final CertificateException ex)
            {
                rejection = new CertificateException("server certificate '" + chain[0].getSubjectX500Principal().getName() +
                    "' is not trusted by the configured CA bundle: " + ex.getMessage(), ex);
                throw rejection;
            }
            if (serverName != null && !names(chain[0], serverName))
            {
                rejection = new CertificateException("server certificate does not name '" + serverName + "'");
                throw rejection;
            }
        }

        /**
         * @return why the last chain was rejected, or null.
         */
        CertificateException rejection()
        {
            return rejection;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return delegate.getAcceptedIssuers();
        }
    }

    static boolean names(final X509Certificate leaf, final String serverName) throws CertificateException
    {
        final Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
        if (alternatives == null)
        {
            return false;
        }
        final boolean ip = isIpLiteral(serverName);
        final String wanted = serverName.toLowerCase(Locale.ROOT);
        for (final List<?> entry : alternatives)
        {
            final int type = (Integer)entry.get(0);
            final String value = String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT);
            if (ip && type == GeneralName.iPAddress && sameAddress(value, wanted))
            {
                return true;
            }
            if (!ip && type == GeneralName.dNSName && (value.equals(wanted) ||
                value.startsWith("*.") && wanted.endsWith(value.substring(1)) &&
                wanted.indexOf('.') == wanted.length() - value.length() + 1))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(final String a, final String b)
    {
        try
        {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
