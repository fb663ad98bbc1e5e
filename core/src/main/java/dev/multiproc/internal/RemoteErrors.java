package dev.multiproc.internal;

import com.google.protobuf.ByteString;
import dev.multiproc.RemoteThrowable;
import dev.multiproc.internal.codec.Codec;
import dev.multiproc.internal.protocol.Frame;
import dev.multiproc.internal.protocol.RemoteError;

/** Carries a Throwable to another process and rebuilds it there with its remote stack trace. */
public final class RemoteErrors {
    private static final int MAX_CAUSES = 16;

    private RemoteErrors() {
    }

    public static RemoteError toProto(Throwable error, Codec codec) {
        RemoteError.Builder proto = structure(error, 0);
        try {
            proto.setSerialized(ByteString.copyFrom(codec.encode(error)));
        } catch (RuntimeException notSerializable) {
            // the structured form is enough to rebuild a faithful RemoteThrowable on the other side
        }
        return proto.build();
    }

    private static RemoteError.Builder structure(Throwable error, int depth) {
        RemoteError.Builder proto = RemoteError.newBuilder().setClassName(error.getClass().getName());
        String message = messageOf(error);
        if (message != null) {
            proto.setMessage(message);
        }
        for (StackTraceElement element : error.getStackTrace()) {
            Frame.Builder frame = Frame.newBuilder().setDeclaringClass(element.getClassName())
                    .setMethod(element.getMethodName()).setLine(element.getLineNumber());
            if (element.getFileName() != null) {
                frame.setFile(element.getFileName());
            }
            proto.addFrames(frame);
        }
        Throwable cause = error.getCause();
        if (cause != null && cause != error && depth < MAX_CAUSES) {
            proto.setCause(structure(cause, depth + 1));
        }
        return proto;
    }

    /**
     * @return the exception's message; if its own {@code getMessage()} throws, a message that says so: user code's
     *         exception must fail its task, not the worker that reports it
     */
    static String messageOf(Throwable error) {
        try {
            return error.getMessage();
        } catch (Throwable broken) {
            return "(its getMessage() threw " + broken.getClass().getName() + ")";
        }
    }

    private static boolean describable(Throwable error) {
        try {
            return error.toString() != null;   // toString() calls getLocalizedMessage(), hence getMessage()
        } catch (Throwable broken) {
            return false;
        }
    }

    public static Throwable fromProto(RemoteError proto, Codec codec) {
        if (!proto.getSerialized().isEmpty()) {
            try {
                Object decoded = codec.decode(proto.getSerialized().toByteArray());
                if (decoded instanceof Throwable throwable && describable(throwable)) {
                    // (an exception whose getMessage() throws would break every message made from it here:
                    // the structured form stands in for it)
                    return throwable;
                }
            } catch (RuntimeException undecodable) {
                // fall back to the structured form
            }
        }
        return rebuild(proto);
    }

    private static Throwable rebuild(RemoteError proto) {
        StackTraceElement[] trace = new StackTraceElement[proto.getFramesCount()];
        for (int i = 0; i < trace.length; i++) {
            Frame frame = proto.getFrames(i);
            trace[i] = new StackTraceElement(frame.getDeclaringClass(), frame.getMethod(),
                    frame.getFile().isEmpty() ? null : frame.getFile(), frame.getLine());
        }
        Throwable cause = proto.hasCause() ? rebuild(proto.getCause()) : null;
        return new RemoteThrowable(proto.getClassName(), proto.getMessage().isEmpty() ? null : proto.getMessage(),
                trace, cause);
    }
}
