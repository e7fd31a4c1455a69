package dev.sluice.crypto.seal;

import dev.sluice.schemas.marks.MarkedValue;
import java.util.List;
import java.util.Set;

/**
 * The strings a marked value is replaced with where it cannot be shown. Each is a JSON string in place of the value, so
 * the data stays well-formed and unmarked parts keep their bytes.
 */
public final class Placeholders {
  /** The reader may not decrypt this stream's marked values. */
  public static final String WITHHELD = "sluice:withheld";
  /** The subject was forgotten: the value is gone for good. */
  public static final String ERASED = "sluice:erased";
  /** The value was not kept at all (a captured reject whose value could not be sealed). */
  public static final String DROPPED = "sluice:dropped";

  private static final Set<String> ALL = Set.of(WITHHELD, ERASED, DROPPED);

  private Placeholders() {}

  /** Whether {@code value} (a JSON string's value, unquoted) is one of the placeholders. */
  public static boolean isPlaceholder(String value) {
    return ALL.contains(value);
  }

  /** {@code placeholder} as JSON text: the string with its quotes. */
  public static String json(String placeholder) {
    if (!ALL.contains(placeholder)) {
      throw new IllegalArgumentException("not a placeholder: " + placeholder);
    }
    return "\"" + placeholder + "\"";
  }

  /** {@code data} with every marked value replaced by {@code placeholder}. */
  public static String replace(String data, List<MarkedValue> marks, String placeholder) {
    String text = json(placeholder);
    return DataSplice.apply(data,
        marks.stream().map(m -> new DataSplice.Replacement(m.start(), m.end(), text)).toList());
  }
}
