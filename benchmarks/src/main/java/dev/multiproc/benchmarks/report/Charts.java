package dev.multiproc.benchmarks.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.style.Styler;

/**
 * Writes SVG bar charts from a tab-separated description, one chart per {@code chart} line:
 *
 * <pre>
 * color  SERIES     #RRGGBB                     (optional, before the charts: a series' colour in every chart)
 * chart  FILE-STEM  TITLE  Y-AXIS-TITLE  log|linear
 * bar    CATEGORY   SERIES VALUE
 * ...
 * </pre>
 *
 * Categories are the groups along the x axis, series the bars of a group (one colour each, in a legend). A series
 * without a value in a category has no bar there. Values must be positive on a log scale.
 *
 * <pre>
 * java -cp multiproc-benchmarks.jar dev.multiproc.benchmarks.report.Charts charts.tsv docs/benchmarks [svg|png]
 * </pre>
 *
 * SVG by default (XChart draws text as outlines, so the files need no fonts to look the same everywhere); PNG on
 * request.
 */
public final class Charts {
    private Charts() {
    }

    /**
     * @param args the description file, the output directory, and optionally the format ({@code svg} or
     *        {@code png})
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3 || (args.length == 3 && !args[2].matches("svg|png"))) {
            System.err.println("Usage: Charts DESCRIPTION.tsv OUTPUT-DIRECTORY [svg|png]");
            System.exit(2);
        }
        boolean png = args.length == 3 && args[2].equals("png");
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Map<String, Color> colors = new LinkedHashMap<>();
        Spec spec = null;
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            String[] cells = line.split("\t");
            if (cells[0].equals("color")) {
                colors.put(cells[1], Color.decode(cells[2]));
            } else if (cells[0].equals("chart")) {
                if (spec != null) {
                    spec.write(out, png);
                }
                spec = new Spec(cells[1], cells[2], cells[3], cells[4].equals("log"), colors);
            } else if (cells[0].equals("bar") && spec != null) {
                spec.add(cells[1], cells[2], Double.parseDouble(cells[3]));
            }
        }
        if (spec != null) {
            spec.write(out, png);
        }
    }

    /** One chart being read. */
    private static final class Spec {
        private final String stem;
        private final String title;
        private final String yTitle;
        private final boolean log;
        private final Map<String, Color> colors;
        private final Set<String> categories = new LinkedHashSet<>();
        private final Map<String, Map<String, Double>> series = new LinkedHashMap<>();

        Spec(String stem, String title, String yTitle, boolean log, Map<String, Color> colors) {
            this.colors = colors;
            this.stem = stem;
            this.title = title;
            this.yTitle = yTitle;
            this.log = log;
        }

        void add(String category, String seriesName, double value) {
            categories.add(category);
            series.computeIfAbsent(seriesName, name -> new LinkedHashMap<>()).put(category, value);
        }

        void write(Path out, boolean png) throws IOException {
            int width = Math.min(1300, Math.max(900, 110 * categories.size() * Math.max(1, series.size()) / 3));
            CategoryChart chart = new CategoryChartBuilder().width(width).height(520).title(title)
                    .yAxisTitle(yTitle).build();
            Styler styler = chart.getStyler();
            styler.setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setYAxisLogarithmic(log);
            if (log) {
                // bars start at the axis minimum, which XChart would put at 0, where a log axis is undefined
                double smallest = series.values().stream().flatMap(values -> values.values().stream())
                        .mapToDouble(Double::doubleValue).min().orElse(1);
                chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
            }
            chart.getStyler().setYAxisDecimalPattern("#,##0.###");
            chart.getStyler().setPlotGridVerticalLinesVisible(false);
            chart.getStyler().setXAxisLabelRotation(categories.size() > 4 ? 20 : 0);
            List<String> xs = new ArrayList<>(categories);
            series.forEach((name, values) -> {
                List<Double> ys = new ArrayList<>();
                for (String category : xs) {
                    ys.add(values.get(category));
                }
                CategorySeries added = chart.addSeries(name, xs, ys);
                if (colors.containsKey(name)) {
                    added.setFillColor(colors.get(name));
                }
            });
            if (png) {
                BitmapEncoder.saveBitmap(chart, out.resolve(stem + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
            } else {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out.resolve(stem + ".svg").toString(),
                        VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            }
        }
    }
}
