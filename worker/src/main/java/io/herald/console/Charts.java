package io.herald.console;

import static io.herald.console.Html.el;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Charts drawn on the server as inline SVG (no script): bars over time, a curve over time, a stacked bar of shares. */
final class Charts {
    private static final int WIDTH = 600;
    private static final int HEIGHT = 160;
    private static final int LEFT = 44;
    private static final int BOTTOM = 20;

    private Charts() {}

    /** One part of a whole, with the CSS class that colours it. */
    record Share(String label, long value, String cssClass) {}

    /** One point of a curve. */
    record Point(Instant at, long value) {}

    /** Bars of equal width, one per value, oldest left; {@code label} says what they count. */
    static Html bars(String label, List<Long> values, String startLabel, String endLabel) {
        long max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
        var svg = frame(label, max, startLabel, endLabel);
        double width = (WIDTH - LEFT) / (double) Math.max(1, values.size());
        for (int i = 0; i < values.size(); i++) {
            double height = (HEIGHT - BOTTOM) * values.get(i) / (double) max;
            svg.with(el("rect")
                    .cls("bar")
                    .attr("x", number(LEFT + i * width + 1))
                    .attr("y", number(HEIGHT - BOTTOM - height))
                    .attr("width", number(Math.max(1, width - 2)))
                    .attr("height", number(height))
                    .with(el("title").text(values.get(i) + " (" + (values.size() - 1 - i) + " min ago)")));
        }
        return el("figure").with(svg, el("figcaption").text(label));
    }

    /** A curve through the points, by time, with a dot and a tooltip at each. */
    static Html curve(String label, List<Point> points) {
        if (points.isEmpty()) {
            return el("p").cls("note").text(label + ": no samples yet.");
        }
        long max = Math.max(1, points.stream().mapToLong(Point::value).max().orElse(1));
        long first = points.get(0).at().toEpochMilli();
        long span = Math.max(1, points.get(points.size() - 1).at().toEpochMilli() - first);
        var svg = frame(
                label,
                max,
                Widgets.ago(points.get(0).at()),
                Widgets.ago(points.get(points.size() - 1).at()));
        var path = new StringBuilder();
        var dots = el("g").cls("dots");
        for (var point : points) {
            double x = points.size() == 1
                    ? LEFT + (WIDTH - LEFT) / 2.0
                    : LEFT + (WIDTH - LEFT) * (point.at().toEpochMilli() - first) / (double) span;
            double y = HEIGHT - BOTTOM - (HEIGHT - BOTTOM - 4) * point.value() / (double) max;
            path.append(path.isEmpty() ? "" : " ").append(number(x)).append(',').append(number(y));
            dots.with(el("circle")
                    .attr("cx", number(x))
                    .attr("cy", number(y))
                    .attr("r", 3)
                    .with(el("title").text(point.value() + " at " + point.at())));
        }
        svg.with(el("polyline").cls("line").attr("points", path), dots);
        return el("figure").with(svg, el("figcaption").text(label));
    }

    /** A horizontal bar split into shares of their sum, each share's label and count in its tooltip and in the legend. */
    static Html stacked(String label, List<Share> shares) {
        long total = Math.max(1, shares.stream().mapToLong(Share::value).sum());
        var svg = el("svg")
                .attr("viewBox", "0 0 " + WIDTH + " 24")
                .attr("preserveAspectRatio", "none")
                .attr("role", "img")
                .attr("aria-label", label)
                .cls("chart stacked");
        double x = 0;
        var legend = el("ul").cls("legend");
        for (var share : shares) {
            double width = WIDTH * share.value() / (double) total;
            if (width > 0) {
                svg.with(el("rect")
                        .cls(share.cssClass())
                        .attr("x", number(x))
                        .attr("y", 0)
                        .attr("width", number(width))
                        .attr("height", 24)
                        .with(el("title").text(share.label() + ": " + share.value())));
            }
            x += width;
            legend.with(el("li").with(
                            el("span").cls("swatch " + share.cssClass()),
                            Html.text(share.label() + " " + share.value())));
        }
        return el("figure").with(svg, legend);
    }

    /** The SVG with its axis, the maximum and the two ends labelled. */
    private static Html.Element frame(String label, long max, String startLabel, String endLabel) {
        return el("svg")
                .attr("viewBox", "0 0 " + WIDTH + " " + HEIGHT)
                .attr("role", "img")
                .attr("aria-label", label)
                .cls("chart")
                .with(
                        el("line")
                                .cls("axis")
                                .attr("x1", LEFT)
                                .attr("y1", HEIGHT - BOTTOM)
                                .attr("x2", WIDTH)
                                .attr("y2", HEIGHT - BOTTOM),
                        el("line")
                                .cls("axis")
                                .attr("x1", LEFT)
                                .attr("y1", 0)
                                .attr("x2", LEFT)
                                .attr("y2", HEIGHT - BOTTOM),
                        el("text")
                                .attr("x", LEFT - 4)
                                .attr("y", 12)
                                .attr("text-anchor", "end")
                                .text(max),
                        el("text")
                                .attr("x", LEFT - 4)
                                .attr("y", HEIGHT - BOTTOM)
                                .attr("text-anchor", "end")
                                .text(0),
                        el("text").attr("x", LEFT).attr("y", HEIGHT - 4).text(startLabel),
                        el("text")
                                .attr("x", WIDTH)
                                .attr("y", HEIGHT - 4)
                                .attr("text-anchor", "end")
                                .text(endLabel));
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
