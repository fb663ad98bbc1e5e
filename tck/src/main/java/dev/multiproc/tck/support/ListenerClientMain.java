package dev.multiproc.tck.support;

import dev.multiproc.AuthenticationException;
import dev.multiproc.Connection;
import dev.multiproc.Multiproc;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.HexFormat;

/**
 * A program that multiproc did not start, for the listener contract: connects to a listener and echoes. Arguments:
 * the address ({@code HOST:PORT}, or {@code unix:PATH}) and the key in hex. It receives one object and one byte
 * message, sends back {@code "echo:" + object} and the bytes reversed, receives {@code "bye"} and prints {@code OK}.
 * If the listener refuses its key it prints {@code AUTH <message>} and exits with status 3; it exits with 1 on any
 * other failure.
 */
public final class ListenerClientMain {
    private ListenerClientMain() {
    }

    /**
     * @param args the listener's address and the key in hex
     * @throws Exception never on purpose: failures are printed and give exit status 1
     */
    public static void main(String[] args) throws Exception {
        SocketAddress address = args[0].startsWith("unix:") ? UnixDomainSocketAddress.of(args[0].substring(5))
                : new InetSocketAddress(args[0].substring(0, args[0].lastIndexOf(':')),
                        Integer.parseInt(args[0].substring(args[0].lastIndexOf(':') + 1)));
        byte[] key = HexFormat.of().parseHex(args[1]);
        try (Connection<Object> connection = Multiproc.connect(address, key)) {
            Object first = connection.recv();
            byte[] bytes = connection.recvBytes();
            connection.send("echo:" + first);
            byte[] reversed = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                reversed[i] = bytes[bytes.length - 1 - i];
            }
            connection.sendBytes(reversed);
            Object last = connection.recv();
            System.out.println("bye".equals(last) ? "OK" : "UNEXPECTED " + last);
        } catch (AuthenticationException e) {
            System.out.println("AUTH " + e.getMessage());
            System.exit(3);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    /**
     * @param address a listener's address
     * @return the form {@link #main} takes
     */
    public static String describe(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return "unix:" + unix.getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
}
