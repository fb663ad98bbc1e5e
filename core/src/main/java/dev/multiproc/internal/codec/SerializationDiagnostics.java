package dev.multiproc.internal.codec;

import java.io.NotSerializableException;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Finds the path from an object to the part of it that Java serialization refused, so that the error says
 * {@code captured value 0 (com.example.Service) -> field repo (com.example.Repo)} instead of only the last class.
 * Runs only after serialization has failed: its cost is never paid on success.
 */
final class SerializationDiagnostics {
    private static final int MAX_DEPTH = 64;

    private SerializationDiagnostics() {
    }

    static String explain(Object root, NotSerializableException failure) {
        Object[] offender = new Object[1];
        String path = walk(root, describeNode("value", root), new IdentityHashMap<>(), 0, offender);
        StringBuilder message = new StringBuilder("Cannot serialize ")
                .append(JavaSerializationCodec.describe(root)).append(": ");
        String reason = failure.getMessage();
        if (reason != null && reason.indexOf(' ') >= 0) {
            // a Serializable class that refuses to travel, and says why (a socket connection): its words are the fix
            return message.append(reason).append('.').toString();
        }
        if (path != null) {
            message.append(path).append(" is not Serializable.");
        } else {
            message.append("class ").append(failure.getMessage()).append(" is not Serializable.");
        }
        Class<?> type = offender[0] == null ? null : offender[0].getClass();
        if (type != null && type.isSynthetic() && type.getName().contains("$$Lambda")) {
            // a plain java.util.function type where a task type belongs: the fix is the declared type, not a cast
            String interfaces = java.util.Arrays.stream(type.getInterfaces()).map(Class::getName)
                    .collect(java.util.stream.Collectors.joining(", "));
            message.append(" It is a lambda or method reference of ").append(interfaces).append(", which is not"
                    + " Serializable. Declare that variable or parameter as a multiproc task type instead"
                    + " (dev.multiproc.Task, Task2, Task3, CallableTask or Job, which are Serializable), where the"
                    + " lambda is written; there is no need to make it Serializable with a cast.");
        } else {
            message.append(" Make that class implement java.io.Serializable, mark the field transient, or do not"
                    + " capture it in the task (a lambda captures every outer variable it uses, and 'this' if it"
                    + " uses an instance member).");
        }
        return message.toString();
    }

    /** Returns the path to the first non-serializable object found depth-first, or null. */
    static String find(Object root) {
        return walk(root, describeNode("value", root), new IdentityHashMap<>(), 0, new Object[1]);
    }

    private static String walk(Object node, String path, IdentityHashMap<Object, Boolean> seen, int depth,
            Object[] offender) {
        if (node == null || depth > MAX_DEPTH || seen.put(node, Boolean.TRUE) != null) {
            return null;
        }
        Class<?> type = node.getClass();
        if (!(node instanceof Serializable)) {
            offender[0] = node;
            return path;
        }
        if (type.isArray()) {
            if (type.getComponentType().isPrimitive()) {
                return null;
            }
            for (int i = 0, n = Array.getLength(node); i < n; i++) {
                Object element = Array.get(node, i);
                String found = walk(element, path + " -> " + describeNode("element " + i, element), seen,
                        depth + 1, offender);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        SerializedLambda lambda = serializedLambda(node);
        if (lambda != null) {
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                Object captured = lambda.getCapturedArg(i);
                String found = walk(captured, path + " -> " + describeNode("captured value " + i, captured), seen,
                        depth + 1, offender);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (node instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                String found = walk(element, path + " -> " + describeNode("element " + i++, element), seen,
                        depth + 1, offender);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String found = walk(entry.getKey(), path + " -> " + describeNode("key", entry.getKey()), seen,
                        depth + 1, offender);
                if (found == null) {
                    found = walk(entry.getValue(), path + " -> " + describeNode("value of key " + entry.getKey(),
                            entry.getValue()), seen, depth + 1, offender);
                }
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        Deque<Class<?>> hierarchy = new ArrayDeque<>();
        for (Class<?> c = type; c != null && Serializable.class.isAssignableFrom(c); c = c.getSuperclass()) {
            hierarchy.push(c);
        }
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.getType().isPrimitive()) {
                    continue;
                }
                Object value;
                try {
                    field.setAccessible(true);
                    value = field.get(node);
                } catch (RuntimeException | IllegalAccessException e) {
                    continue; // a JDK-internal field we may not read: serialization of JDK types is not our concern
                }
                String found = walk(value, path + " -> " + describeNode("field " + field.getName(), value), seen,
                        depth + 1, offender);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static SerializedLambda serializedLambda(Object node) {
        Class<?> type = node.getClass();
        if (!type.isSynthetic()) {
            return null;
        }
        try {
            Method writeReplace = type.getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object replaced = writeReplace.invoke(node);
            return replaced instanceof SerializedLambda lambda ? lambda : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String describeNode(String role, Object value) {
        if (value == null) {
            return role;
        }
        Class<?> type = value.getClass();
        String name = type.isSynthetic() && type.getName().contains("$$Lambda")
                ? "a lambda of " + type.getName().substring(0, type.getName().indexOf("$$Lambda"))
                        + (value instanceof Serializable ? "" : " whose functional interface is not Serializable")
                : type.getName();
        return role + " (" + name + ")";
    }
}
