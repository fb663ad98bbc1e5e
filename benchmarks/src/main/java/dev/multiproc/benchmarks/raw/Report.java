package dev.multiproc.benchmarks.raw;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The figures of one raw medium, printed as one JSON object. */
final class Report {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    Report(String medium) {
        fields.put("medium", medium);
    }

    Report put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    String toJson() {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(", ");
            }
            json.append('"').append(name).append("\": ");
            if (value instanceof Number number) {
                json.append(String.format(java.util.Locale.ROOT, "%.4f", number.doubleValue()));
            } else {
                json.append('"').append(value).append('"');
            }
        });
        return json.append('}').toString();
    }

    /** The median of samples (sorts them). */
    static double median(long[] samples) {
        Arrays.sort(samples);
        int n = samples.length;
        return n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2.0;
    }
}
