package dev.multiproc.spi;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a child has to connect to its parent.
 *
 * @param descriptor the string the parent's {@link ChildAttachment#descriptor()} gave
 * @param childId the child's id within its context
 * @param maxMessageSize the largest message a channel must carry, in bytes
 * @param secret what the parent's {@link ChildAttachment#secret()} gave (empty if nothing); the transport may keep it
 * @param standardInput the process's real standard input (fd 0); for transports that
 *        {@linkplain Transport#usesStandardStreams() use the standard streams} only
 * @param standardOutput the process's real standard output (fd 1); {@code System.out} no longer writes to it
 */
@SuppressWarnings("ArrayRecordComponent") // an endpoint is never compared; the secret is raw key bytes
public record ChildEndpoint(String descriptor, String childId, int maxMessageSize, byte[] secret,
        InputStream standardInput,
        OutputStream standardOutput) {
}
