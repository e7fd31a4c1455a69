package dev.sluice.loadtests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotWriterTest {
  @Test
  void writesAPngOfTheStatedSizeWithTheSeriesDrawn(@TempDir Path dir) throws Exception {
    List<SecondStats> series = new ArrayList<>();
    for (int s = 0; s < 60; s++) {
      long p50 = 5_000 + s * 100L;
      series.add(new SecondStats(s, 100 + s * 10, 100 + s * 10, 95 + s * 10, s > 50 ? 20 : 0, p50, p50 * 3,
          p50 * 5, p50 * 6));
    }
    series.add(new SecondStats(60, 700, 0, 0, 0, -1, -1, -1, -1)); // a second with no answers breaks the lines
    Path file = dir.resolve("sub/plot.png");
    PlotWriter.write(file, "synthetic", series, List.of(new PlotWriter.Marker(10, "warm-up ends")));

    assertTrue(Files.size(file) > 5_000, "size " + Files.size(file));
    BufferedImage image = ImageIO.read(file.toFile());
    assertEquals(PlotWriter.WIDTH, image.getWidth());
    assertEquals(PlotWriter.HEIGHT, image.getHeight());
    Set<Integer> colours = new HashSet<>();
    for (int x = 0; x < image.getWidth(); x += 2) {
      for (int y = 0; y < image.getHeight(); y += 2) {
        colours.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    // The p99 red and the throughput green are on the canvas, not just white and grid grey.
    assertTrue(colours.contains(0xd62728), "p99/errors red drawn");
    assertTrue(colours.contains(0x2ca02c), "throughput green drawn");
  }

  @Test
  void anEmptyRunStillGivesAPlot(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("empty.png");
    PlotWriter.write(file, "nothing answered", List.of(), List.of());
    assertEquals(PlotWriter.WIDTH, ImageIO.read(file.toFile()).getWidth());
  }

  @Test
  void axesRoundUpToOneTwoOrFive() {
    assertEquals(1, PlotWriter.niceMax(0));
    assertEquals(200, PlotWriter.niceMax(130));
    assertEquals(500, PlotWriter.niceMax(201));
    assertEquals(1000, PlotWriter.niceMax(501));
    assertEquals(1000, PlotWriter.niceMax(1000));
  }
}
