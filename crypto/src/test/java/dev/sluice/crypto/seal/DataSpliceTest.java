package dev.sluice.crypto.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DataSpliceTest {
  private static final String DATA = "{ \"id\" : \"ph-1\",\"name\":\"Zo\\u00eb\",  \"n\":1.50e3 }";

  private static DataSplice.Replacement replace(String data, String span, String text) {
    int start = data.indexOf(span);
    return new DataSplice.Replacement(start, start + span.length(), text);
  }

  @Test
  void replacesOnlyTheSpansAndKeepsEveryOtherCharacterAsItWas() {
    String out = DataSplice.apply(DATA, List.of(replace(DATA, "\"Zo\\u00eb\"", "\"X\""), replace(DATA, "1.50e3", "7")));
    assertEquals("{ \"id\" : \"ph-1\",\"name\":\"X\",  \"n\":7 }", out);
  }

  @Test
  void theOrderReplacementsAreGivenInDoesNotMatter() {
    DataSplice.Replacement a = replace(DATA, "\"ph-1\"", "1");
    DataSplice.Replacement b = replace(DATA, "1.50e3", "\"longer than the number\"");
    assertEquals(DataSplice.apply(DATA, List.of(a, b)), DataSplice.apply(DATA, List.of(b, a)));
  }

  @Test
  void noReplacementGivesTheDataUnchanged() {
    assertEquals(DATA, DataSplice.apply(DATA, List.of()));
  }

  @Test
  void spansAtTheVeryStartAndEndAreReplacedToo() {
    assertEquals("[x]", DataSplice.apply("{a}", List.of(new DataSplice.Replacement(0, 1, "["),
        new DataSplice.Replacement(1, 2, "x"), new DataSplice.Replacement(2, 3, "]"))));
  }

  @Test
  void overlappingSpansOrOneOutsideTheDataAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> DataSplice.apply(DATA,
        List.of(new DataSplice.Replacement(2, 6, "x"), new DataSplice.Replacement(5, 8, "y"))));
    assertThrows(IllegalArgumentException.class, () -> DataSplice.apply(DATA,
        List.of(new DataSplice.Replacement(DATA.length() - 1, DATA.length() + 1, "x"))));
    assertThrows(IllegalArgumentException.class, () -> new DataSplice.Replacement(3, 2, "x"));
  }
}
