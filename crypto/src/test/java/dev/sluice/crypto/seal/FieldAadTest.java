package dev.sluice.crypto.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldAadTest {
  private static final EventRef EVENT = new EventRef("retail", "/shop", "e-1", "retail.photographer.registered");

  private static byte[] aad(String stream, String source, String id, String type, String pointer) {
    return FieldAad.of(new EventRef(stream, source, id, type)).forPointer(pointer);
  }

  @Test
  void isTheLabelThenEachPartAsLengthAndUtf8Bytes() {
    ByteBuffer expected = ByteBuffer.allocate(200).put("sluice-field/v1".getBytes(StandardCharsets.UTF_8));
    for (String part : List.of("retail", "/shop", "e-1", "retail.photographer.registered", "/näme")) {
      byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
      expected.putInt(utf8.length).put(utf8);
    }
    assertArrayEquals(Arrays.copyOf(expected.array(), expected.position()), FieldAad.of(EVENT).forPointer("/näme"),
        "the length counts UTF-8 bytes (ä is two)");
  }

  @Test
  void theSameFieldOfTheSameEventGivesTheSameBytes() {
    assertArrayEquals(FieldAad.of(EVENT).forPointer("/email"),
        aad("retail", "/shop", "e-1", "retail.photographer.registered", "/email"));
  }

  @Test
  void changingAnyPartChangesTheBytes() {
    byte[] base = FieldAad.of(EVENT).forPointer("/email");
    List<byte[]> others = List.of(
        aad("retail-eu", "/shop", "e-1", "retail.photographer.registered", "/email"),
        aad("retail", "/shop2", "e-1", "retail.photographer.registered", "/email"),
        aad("retail", "/shop", "e-2", "retail.photographer.registered", "/email"),
        aad("retail", "/shop", "e-1", "retail.photographer.updated", "/email"),
        FieldAad.of(EVENT).forPointer("/name"));
    for (byte[] other : others) {
      assertFalse(Arrays.equals(base, other));
    }
  }

  @Test
  void noTwoWaysOfSplittingTheSameTextIntoPartsGiveTheSameBytes() {
    // Every way to cut "ab/cd" into five parts (each possibly empty): concatenated they are all the same text, so
    // only the length prefixes tell them apart.
    String text = "ab/cd";
    Set<String> seen = new HashSet<>();
    int splits = 0;
    int n = text.length();
    for (int a = 0; a <= n; a++) {
      for (int b = a; b <= n; b++) {
        for (int c = b; c <= n; c++) {
          for (int d = c; d <= n; d++) {
            byte[] bytes = aad(text.substring(0, a), text.substring(a, b), text.substring(b, c), text.substring(c, d),
                text.substring(d));
            seen.add(Base64.getEncoder().encodeToString(bytes));
            splits++;
          }
        }
      }
    }
    assertEquals(126, splits, "C(9,4) ways to place four cuts in five characters");
    assertEquals(splits, seen.size(), "each split has its own associated data");
  }
}
