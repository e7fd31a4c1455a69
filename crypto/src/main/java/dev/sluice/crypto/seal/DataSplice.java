package dev.sluice.crypto.seal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Rebuilds a data text with some spans replaced, by copying: the text is never parsed into a tree and written out
 * again, so every byte outside the spans stays exactly as it was (whitespace, number forms, escapes, member order).
 */
public final class DataSplice {
  private DataSplice() {}

  /** The span {@code [start, end)} of the original text (character offsets) becomes {@code text}. */
  public record Replacement(int start, int end, String text) {
    public Replacement {
      Objects.requireNonNull(text, "text");
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("span [" + start + ", " + end + ") is negative");
      }
    }
  }

  /** Whether the spans already come by their start, as an unsealer's and a sealer's do: then nothing is copied. */
  private static boolean inOrder(List<Replacement> replacements) {
    for (int i = 1; i < replacements.size(); i++) {
      if (replacements.get(i).start() < replacements.get(i - 1).start()) {
        return false;
      }
    }
    return true;
  }

  private static List<Replacement> sorted(List<Replacement> replacements) {
    List<Replacement> ordered = new ArrayList<>(replacements);
    ordered.sort(Comparator.comparingInt(Replacement::start));
    return ordered;
  }

  /**
   * {@code data} with each replacement made, in any order given.
   *
   * @throws IllegalArgumentException if a span lies outside {@code data} or two spans overlap
   */
  public static String apply(String data, List<Replacement> replacements) {
    List<Replacement> ordered = inOrder(replacements) ? replacements : sorted(replacements);
    int size = data.length();
    int at = 0;
    for (Replacement r : ordered) {
      if (r.start() < at || r.end() > data.length()) {
        throw new IllegalArgumentException("span [" + r.start() + ", " + r.end() + ") overlaps another or lies outside"
            + " the data (" + data.length() + " characters)");
      }
      size += r.text().length() - (r.end() - r.start());
      at = r.end();
    }
    // Each kept span as a substring, appended whole: on Java 17 StringBuilder.append(CharSequence, start, end) copies
    // a String one character at a time, which profiled as the largest part of sealing an event after the
    // encryptions; substring and append(String) copy arrays.
    StringBuilder out = new StringBuilder(size);
    int copied = 0;
    for (Replacement r : ordered) {
      out.append(data.substring(copied, r.start())).append(r.text());
      copied = r.end();
    }
    return out.append(data.substring(copied)).toString();
  }
}
