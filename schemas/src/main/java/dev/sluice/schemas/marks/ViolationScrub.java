package dev.sluice.schemas.marks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.schemas.JsonNumbers;
import dev.sluice.schemas.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes schema violations safe to show: a violation at or inside a marked value, or whose message quotes a marked
 * value, gets the message "a sensitive value breaks the schema (keyword)". Violations about a marked value keep their
 * keyword and point at the marked value itself (not inside it: member names inside a marked object are sealed with
 * it); the others keep their pointer. Violations made the same by this are listed once.
 *
 * <p>The validator quotes a value only in violations at that value's own place, so the pointer alone catches them;
 * looking for quotes elsewhere is a second line. It looks for every string and number inside the marked values, of at
 * least {@value #MIN_QUOTED} characters (shorter ones would match most messages and tell little). Past
 * {@value #MAX_COMPARISONS} comparisons of a message with a marked value, every remaining violation is made generic,
 * so the cost stays bounded whatever the data.
 */
public final class ViolationScrub {
  static final int MAX_COMPARISONS = 100_000;
  static final int MIN_QUOTED = 3;
  private static final String DATA = "/data";
  private static final JsonFactory JSON = new JsonFactory();

  private ViolationScrub() {}

  /** The message a violation about a marked value gets. */
  public static String generic(String keyword) {
    return "a sensitive value breaks the schema (" + keyword + ")";
  }

  /**
   * {@code violations} (pointers rooted at the event, {@code /data/...}) of {@code data}, whose marked values are
   * {@code marked}, made safe.
   */
  public static List<Violation> scrub(List<Violation> violations, String data, List<MarkedValue> marked) {
    if (marked.isEmpty()) {
      return violations;
    }
    List<String> quotable = quotable(data, marked);
    long budget = MAX_COMPARISONS;
    Set<Violation> out = new LinkedHashSet<>();
    for (Violation v : violations) {
      MarkedValue around = around(v.pointer(), marked);
      if (around != null) {
        out.add(new Violation(DATA + around.pointer(), v.keyword(), generic(v.keyword())));
        continue;
      }
      budget -= quotable.size();
      if (budget < 0 || quotable.stream().anyMatch(q -> v.message().contains(q))) {
        out.add(new Violation(v.pointer(), v.keyword(), generic(v.keyword())));
      } else {
        out.add(v);
      }
    }
    return List.copyOf(out);
  }

  /** The marked value {@code pointer} is at or inside, if any. */
  private static MarkedValue around(String pointer, List<MarkedValue> marked) {
    if (!pointer.startsWith(DATA)) {
      return null;
    }
    String inData = pointer.substring(DATA.length());
    if (!inData.isEmpty() && !inData.startsWith("/")) {
      return null;
    }
    for (MarkedValue m : marked) {
      if (inData.equals(m.pointer()) || inData.startsWith(m.pointer() + "/")) {
        return m;
      }
    }
    return null;
  }

  /** Every string (decoded) and number inside the marked values, of at least {@link #MIN_QUOTED} characters. */
  private static List<String> quotable(String data, List<MarkedValue> marked) {
    Set<String> out = new LinkedHashSet<>();
    for (MarkedValue m : marked) {
      try (JsonParser p = JSON.createParser(m.text(data))) {
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
          if (t == JsonToken.VALUE_STRING || t.isNumeric()) {
            String text = p.getText();
            if (text.length() >= MIN_QUOTED) {
              out.add(text);
            }
            // The validator judges (and quotes) a number in its canonical form: 1234.0 as 1234.
            String judged = t.isNumeric() ? JsonNumbers.canonical(text).toString() : text;
            if (judged.length() >= MIN_QUOTED) {
              out.add(judged);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // The span came from a parse of the same text, so this does not happen; if it did, the raw text still counts.
        out.add(m.text(data));
      }
    }
    return new ArrayList<>(out);
  }
}
