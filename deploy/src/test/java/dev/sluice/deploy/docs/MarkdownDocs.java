package dev.sluice.deploy.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's Markdown: which files there are, the links they hold, and the anchors their headings make. */
public final class MarkdownDocs {
  /** The repository root, seen from the deploy module where the tests run. */
  public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** {@code [text](target)} and {@code ![alt](target)}; the target ends at the first space or closing parenthesis. */
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)[^)]*\\)");

  /** One link: the file it is in, its line, and its target as written. */
  public record Link(Path from, int line, String target) {}

  private MarkdownDocs() {}

  /** README.md and every Markdown file under docs/. */
  public static List<Path> files() {
    List<Path> out = new ArrayList<>();
    out.add(ROOT.resolve("README.md"));
    try (var docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The links of {@code file}, outside code blocks and code spans. */
  public static List<Link> links(Path file) {
    List<Link> out = new ArrayList<>();
    boolean inFence = false;
    List<String> lines = read(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.trim().startsWith("```")) {
        inFence = !inFence;
        continue;
      }
      if (inFence) {
        continue;
      }
      Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
      while (m.find()) {
        out.add(new Link(file, i + 1, m.group(1)));
      }
    }
    return out;
  }

  /**
   * The anchors GitHub makes from {@code file}'s headings: lower case, punctuation other than '-' and '_' dropped,
   * spaces to dashes, and a repeated one numbered ({@code -1}, {@code -2}...). Headings inside code blocks do not count.
   */
  public static Set<String> anchors(Path file) {
    Set<String> out = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inFence = false;
    for (String line : read(file)) {
      if (line.trim().startsWith("```")) {
        inFence = !inFence;
        continue;
      }
      if (inFence || !line.matches("^#{1,6} .*")) {
        continue;
      }
      String slug = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
          .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum);
      out.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return out;
  }

  /**
   * Why {@code target}, written in {@code from}, does not resolve: a missing file, or an anchor its file does not
   * have; empty when it resolves. Links to other sites are not followed.
   */
  public static java.util.Optional<String> problem(Path from, String target) {
    if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
      return java.util.Optional.empty();
    }
    String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
    String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
    Path file = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
    if (!Files.exists(file)) {
      return java.util.Optional.of("no file " + ROOT.relativize(file));
    }
    if (anchor != null && (!file.toString().endsWith(".md") || !anchors(file).contains(anchor))) {
      return java.util.Optional.of("no heading #" + anchor + " in " + ROOT.relativize(file));
    }
    return java.util.Optional.empty();
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
