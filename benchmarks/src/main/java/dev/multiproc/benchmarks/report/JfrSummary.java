package dev.multiproc.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording for {@code benchmarks/profile.py}, streaming it (a recording with every 20 µs wait is
 * too large to print as JSON): CPU samples per thread, the hottest methods (top frame), the innermost multiproc or
 * Netty method each sample ran under, and per thread the count and total time of parks, file/pipe reads, socket
 * reads and monitor waits, and the JVM's command-line arguments. Prints one JSON object.
 *
 * <p>Usage: {@code java -cp multiproc-benchmarks.jar dev.multiproc.benchmarks.report.JfrSummary RECORDING.jfr}
 */
public final class JfrSummary {
    private static final int TOP = 10;

    private JfrSummary() {
    }

    /**
     * @param args the recording's path
     * @throws IOException if the recording cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JfrSummary RECORDING.jfr");
            System.exit(2);
        }
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        Map<String, long[]> waits = new HashMap<>();
        String arguments = null;
        int samples = 0;
        try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.JVMInformation")) {
                    arguments = event.getString("javaArguments");
                } else if (type.equals("jdk.ExecutionSample")) {
                    samples++;
                    threads.merge(name(event.getThread("sampledThread")), 1, Integer::sum);
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack == null || stack.getFrames().isEmpty()) {
                        continue;
                    }
                    List<RecordedFrame> frames = stack.getFrames();
                    top.merge(method(frames.get(0)), 1, Integer::sum);
                    for (RecordedFrame frame : frames) {
                        String method = method(frame);
                        if (method.startsWith("dev.multiproc.") || method.startsWith("io.netty.")) {
                            ours.merge(method, 1, Integer::sum);
                            break;
                        }
                    }
                } else if (type.equals("jdk.ThreadPark") || type.equals("jdk.FileRead")
                        || type.equals("jdk.SocketRead") || type.equals("jdk.JavaMonitorEnter")
                        || type.equals("jdk.JavaMonitorWait")) {
                    String key = name(event.getThread()) + "\t" + type.substring(4);
                    long[] sum = waits.computeIfAbsent(key, k -> new long[2]);
                    sum[0]++;
                    sum[1] += event.getDuration().toNanos();
                }
            }
        }
        StringBuilder json = new StringBuilder("{");
        json.append("\"samples\":").append(samples);
        json.append(",\"arguments\":").append(quote(arguments));
        json.append(",\"threads\":").append(counts(threads)).append(",\"top\":").append(counts(top));
        json.append(",\"ours\":").append(counts(ours)).append(",\"waits\":[");
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(waits.entrySet());
        sorted.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1]));
        for (int i = 0; i < Math.min(TOP, sorted.size()); i++) {
            String[] key = sorted.get(i).getKey().split("\t");
            long[] sum = sorted.get(i).getValue();
            json.append(i == 0 ? "" : ",").append("[").append(quote(key[0])).append(',').append(quote(key[1]))
                    .append(',').append(sum[0]).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", sum[1] / 1e9)).append(']');
        }
        System.out.println(json.append("]}"));
    }

    private static String name(RecordedThread thread) {
        if (thread == null) {
            return "?";
        }
        return thread.getJavaName() != null ? thread.getJavaName() : String.valueOf(thread.getOSName());
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String counts(Map<String, Integer> counts) {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(TOP)
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        StringBuilder out = new StringBuilder("[");
        ordered.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append('[').append(quote(k)).append(',')
                .append(v).append(']'));
        return out.append(']').toString();
    }

    private static String quote(String text) {
        if (text == null) {
            return "null";
        }
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
