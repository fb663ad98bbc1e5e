package dev.multiproc.transport.socket;

import dev.multiproc.spi.AuthkeyFile;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for remote workers' connections: the parent's Netty {@link SslContext} from a PEM certificate chain and a
 * PEM (PKCS#8, unencrypted) private key, and the worker's JDK {@link SSLSocket}, which trusts exactly the
 * certificates of its {@code --tls-trust} file (the parent's own certificate, or the CA that signed it). The worker
 * does not match the certificate's names against the address it connects to: pinning the trusted certificates is
 * the check. TLS 1.3 or 1.2.
 *
 * <p>The client is still authenticated by the authkey handshake, which runs inside TLS; TLS adds secrecy and
 * integrity to everything after it, and proves the parent's identity before the worker sends anything.
 */
final class SocketTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private SocketTls() {
    }

    /**
     * @param certFile the parent's certificate chain, PEM
     * @param keyFile its private key, PEM PKCS#8 without a password, readable by its owner only
     * @return the server context
     * @throws IOException if a file is missing, shared, or not a certificate or key
     */
    static SslContext serverContext(Path certFile, Path keyFile) throws IOException {
        try {
            AuthkeyFile.requirePrivate(keyFile, "TLS private key file", "whoever reads it can pose as this parent");
            return SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile()).sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS).build();
        } catch (NoSuchFileException e) {
            throw new IOException("the TLS file " + e.getFile() + " does not exist", e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot use " + certFile + " and " + keyFile + " for TLS (a PEM certificate chain and"
                    + " a PEM PKCS#8 private key without a password are needed, e.g. from openssl req -x509"
                    + " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout KEY -out CERT): " + e, e);
        }
    }

    /**
     * Runs the TLS handshake over a connected socket.
     *
     * @param socket the connected plain socket
     * @param host the host it is connected to
     * @param trustFile the PEM certificates to trust
     * @return the TLS socket, handshake done
     * @throws GeneralSecurityException if the trust file holds no certificate or the JDK lacks TLS
     * @throws IOException if the file cannot be read or the handshake fails (the parent is not the one trusted)
     */
    static SSLSocket connect(Socket socket, String host, Path trustFile) throws GeneralSecurityException, IOException {
        Collection<? extends Certificate> trusted;
        try (InputStream in = Files.newInputStream(trustFile)) {
            trusted = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (trusted.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + trustFile);
        }
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int i = 0;
        for (Certificate certificate : trusted) {
            anchors.setCertificateEntry("trusted-" + i++, certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        tls.setEnabledProtocols(Arrays.stream(PROTOCOLS)
                .filter(Arrays.asList(tls.getSupportedProtocols())::contains).toArray(String[]::new));
        tls.setUseClientMode(true);
        tls.startHandshake();
        return tls;
    }
}
