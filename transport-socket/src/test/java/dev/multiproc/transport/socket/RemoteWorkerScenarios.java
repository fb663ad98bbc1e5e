package dev.multiproc.transport.socket;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.tck.RemoteWorkerContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tck's remote-worker scenarios on the socket transport: the parent listens on {@link #bindAddress()} (with TLS
 * if a subclass gives it), and a remote worker is {@link RemoteWorker} with {@code --connect}. Subclasses say where
 * the parent listens and where the remote worker runs (this host, another network namespace).
 */
abstract class RemoteWorkerScenarios extends RemoteWorkerContract {
    private String address;

    /** @return the address the parent listens on */
    protected abstract String bindAddress();

    /** @return the parent's TLS, or null for plain TCP */
    protected io.netty.handler.ssl.SslContext tlsContext() {
        return null;
    }

    /** @return the parent's TLS certificate file, or null */
    protected Path tlsCertificate() {
        return null;
    }

    /** @return extra options for the remote worker, e.g. {@code --tls-trust CERT} */
    protected List<String> remoteOptions() {
        return List.of();
    }

    /** @return the address the remote workers connect to */
    protected String address() {
        return address;
    }

    @Override
    protected Context openRemoteContext(Path keyFile) {
        SocketTestTransport.Opened opened = SocketTestTransport.open(bindAddress(), keyFile, tlsContext(),
                tlsCertificate());
        address = opened.parent().address();
        return opened.context();
    }

    @Override
    protected List<String> remoteWorkerCommand(Context context, String name, Path keyFile) {
        List<String> command = new ArrayList<>(Multiproc.javaCommand(RemoteWorker.class.getName(), List.of(),
                "--connect", address, "--authkey-file", keyFile.toString(), "--name", name,
                "--connect-timeout", "30"));
        command.addAll(remoteOptions());
        return command;
    }
}
