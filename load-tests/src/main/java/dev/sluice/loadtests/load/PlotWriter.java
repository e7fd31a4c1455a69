package dev.sluice.loadtests.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws a run as one PNG with plain Java2D (no chart library): latency percentiles over time on top, throughput over
 * time below, on the same time axis, so a rise in latency can be read against the rate that caused it.
 */
public final class PlotWriter {
  public static final int WIDTH = 1200;
  public static final int HEIGHT = 720;

  private static final Color P50 = new Color(0x1f77b4);
  private static final Color P95 = new Color(0xff7f0e);
  private static final Color P99 = new Color(0xd62728);
  private static final Color OK = new Color(0x2ca02c);
  private static final Color KO = new Color(0xd62728);
  private static final Color OFFERED = new Color(0x555555);
  private static final Color GRID = new Color(0xe5e5e5);
  private static final int LEFT = 80;
  private static final int RIGHT = 30;

  /** A vertical line at a second, labelled (e.g. the ramp's knee). */
  public record Marker(double second, String label) {}

  private PlotWriter() {}

  /** Writes the plot to {@code file} (parent directories created). */
  public static void write(Path file, String title, List<SecondStats> series, List<Marker> markers)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = render(title, series, markers);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }

  static BufferedImage render(String title, List<SecondStats> series, List<Marker> markers) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString(title, LEFT, 26);

      double seconds = Math.max(1, series.size());
      Panel latency = new Panel(LEFT, 50, WIDTH - LEFT - RIGHT, 290, seconds,
          niceMax(maxOf(series, s -> s.p99Micros() / 1000.0)), "latency (ms), by request start");
      Panel throughput = new Panel(LEFT, 400, WIDTH - LEFT - RIGHT, 260, seconds,
          niceMax(maxOf(series, s -> Math.max(s.offered(), s.answered()))), "requests/s");
      latency.frame(g);
      throughput.frame(g);
      latency.line(g, series, s -> s.p50Micros() < 0 ? Double.NaN : s.p50Micros() / 1000.0, P50, solid());
      latency.line(g, series, s -> s.p95Micros() < 0 ? Double.NaN : s.p95Micros() / 1000.0, P95, solid());
      latency.line(g, series, s -> s.p99Micros() < 0 ? Double.NaN : s.p99Micros() / 1000.0, P99, solid());
      throughput.line(g, series, SecondStats::offered, OFFERED, dashed());
      throughput.line(g, series, s -> (double) s.ok(), OK, solid());
      throughput.line(g, series, s -> (double) s.ko(), KO, solid());
      for (Marker m : markers) {
        latency.marker(g, m, false);
        throughput.marker(g, m, true);
      }
      legend(g, 50, new String[] {"p50", "p95", "p99"}, new Color[] {P50, P95, P99});
      legend(g, 400, new String[] {"offered", "answered as expected", "errors"}, new Color[] {OFFERED, OK, KO});
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString("seconds since start", WIDTH / 2 - 50, HEIGHT - 12);
    } finally {
      g.dispose();
    }
    return image;
  }

  private static Stroke solid() {
    return new BasicStroke(2f);
  }

  private static Stroke dashed() {
    return new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  }

  private static void legend(Graphics2D g, int top, String[] names, Color[] colors) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    int x = WIDTH - RIGHT - 10;
    for (int i = names.length - 1; i >= 0; i--) {
      int w = fm.stringWidth(names[i]);
      x -= w;
      g.setColor(Color.BLACK);
      g.drawString(names[i], x, top + 16);
      x -= 24;
      g.setColor(colors[i]);
      g.fillRect(x, top + 8, 18, 4);
      x -= 16;
    }
  }

  private static double maxOf(List<SecondStats> series, ToDoubleFunction<SecondStats> f) {
    double max = 0;
    for (SecondStats s : series) {
      double v = f.applyAsDouble(s);
      if (Double.isFinite(v)) {
        max = Math.max(max, v);
      }
    }
    return max;
  }

  /** The smallest of 1, 2, 5 x 10^k at or above {@code v} (at least 1). */
  static double niceMax(double v) {
    if (!(v > 1)) {
      return 1;
    }
    double base = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * base >= v) {
        return m * base;
      }
    }
    return 10 * base;
  }

  private record Panel(int x, int y, int w, int h, double seconds, double max, String label) {
    void frame(Graphics2D g) {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (int i = 0; i <= 5; i++) {
        int gy = y + h - i * h / 5;
        g.setColor(GRID);
        g.drawLine(x, gy, x + w, gy);
        g.setColor(Color.DARK_GRAY);
        String tick = format(max * i / 5);
        g.drawString(tick, x - 8 - g.getFontMetrics().stringWidth(tick), gy + 4);
      }
      double step = niceMax(seconds / 10);
      for (double s = 0; s <= seconds + 1e-9; s += step) {
        int gx = xOf(s);
        g.setColor(GRID);
        g.drawLine(gx, y, gx, y + h);
        g.setColor(Color.DARK_GRAY);
        String tick = format(s);
        g.drawString(tick, gx - g.getFontMetrics().stringWidth(tick) / 2, y + h + 16);
      }
      g.setColor(Color.BLACK);
      g.drawRect(x, y, w, h);
      g.drawString(label, x + 6, y - 6);
    }

    int xOf(double second) {
      return x + (int) Math.round(second / seconds * w);
    }

    int yOf(double v) {
      return y + h - (int) Math.round(Math.min(v, max) / max * h);
    }

    /** One point per second, drawn at the middle of its second; NaN (nothing answered) breaks the line. */
    void line(Graphics2D g, List<SecondStats> series, ToDoubleFunction<SecondStats> f, Color color, Stroke stroke) {
      Path2D.Double path = new Path2D.Double();
      boolean open = false;
      for (SecondStats s : series) {
        double v = f.applyAsDouble(s);
        if (!Double.isFinite(v)) {
          open = false;
          continue;
        }
        double px = xOf(s.second() + 0.5);
        double py = yOf(v);
        if (open) {
          path.lineTo(px, py);
        } else {
          path.moveTo(px, py);
          open = true;
        }
      }
      g.setColor(color);
      g.setStroke(stroke);
      g.draw(path);
      g.setStroke(new BasicStroke(1f));
    }

    void marker(Graphics2D g, Marker m, boolean withLabel) {
      int gx = xOf(m.second());
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
      g.drawLine(gx, y, gx, y + h);
      g.setStroke(new BasicStroke(1f));
      if (withLabel) {
        // At the bottom: the legend sits at the top right.
        g.drawString(m.label(), gx + 4, y + h - 6);
      }
    }

    private static String format(double v) {
      return v == Math.rint(v) ? String.format("%,.0f", v) : String.format("%,.1f", v);
    }
  }
}
