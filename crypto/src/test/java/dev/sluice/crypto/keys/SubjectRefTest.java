package dev.sluice.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SubjectRefTest {
  /** The rule as it was first written, the oracle for the loop that replaced it. */
  private static final Pattern STREAM = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  @Test
  void aStreamNameIsOneTo249OfTheTopicCharacters() {
    List<String> names = new ArrayList<>(List.of("", "a", "retail.orders_v2-eu", "A9", "#", "dek#x", "a b", "é",
        "tab\t", "a/b", "a:b", "x".repeat(249), "x".repeat(250), "-", ".", "_"));
    for (char c = 0; c < 256; c++) {
      names.add("s" + c);
    }
    for (String name : names) {
      assertEquals(STREAM.matcher(name).matches(), SubjectRef.isValidStream(name), name);
    }
    assertFalse(SubjectRef.isValidStream(null));
    assertThrows(IllegalArgumentException.class, () -> new SubjectRef("dek#x", "ph-1"));
  }
}
