package dev.sluice.console.find;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.problem.ConsoleError.BadField;
import dev.sluice.console.problem.ConsoleError.BadParameter;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.quarantine.find.FindCursor;
import dev.sluice.quarantine.find.ItemFilter;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterParamsTest {

  private static MultiMap params(String... nameValues) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.add(nameValues[i], nameValues[i + 1]);
    }
    return m;
  }

  private static BadParameter badParameter(MultiMap params) {
    ConsoleFailure f = assertThrows(ConsoleFailure.class, () -> FilterParams.listRequest(params));
    return (BadParameter) f.error();
  }

  @Test
  void noParametersMeansEverythingFromTheTopUpToTheDefaultLimit() {
    FilterParams.ListRequest r = FilterParams.listRequest(params());
    assertEquals(ItemFilter.ALL, r.filter());
    assertEquals(Optional.empty(), r.cursor());
    assertEquals(FilterParams.DEFAULT_LIMIT, r.limit());
  }

  @Test
  void readsEveryField() {
    String cursor = new FindCursor(5, "x").encode();
    FilterParams.ListRequest r = FilterParams.listRequest(params("stream", "retail", "group", "catalog-builder",
        "type", "retail.product.created", "reason", "schema_violation", "status", "parked",
        "from", "2026-11-22T20:00:00Z", "to", "2026-11-22T22:00:00+01:00", "key", "p-1", "q", "Anvil",
        "fingerprint", "0123456789abcdef", "cursor", cursor, "limit", "7"));
    ItemFilter f = r.filter();
    assertEquals(Optional.of("retail"), f.stream());
    assertEquals(Optional.of("catalog-builder"), f.group());
    assertEquals(Optional.of("retail.product.created"), f.type());
    assertEquals(Optional.of(QuarantineReason.SCHEMA_VIOLATION), f.reason());
    assertEquals(Optional.of(QuarantineStatus.PARKED), f.status());
    assertEquals(Optional.of(Instant.parse("2026-11-22T20:00:00Z")), f.from());
    assertEquals(Optional.of(Instant.parse("2026-11-22T21:00:00Z")), f.to(), "offsets are honoured");
    assertEquals(Optional.of("p-1"), f.key());
    assertEquals(Optional.of("anvil"), f.text(), "free text matches case-insensitively");
    assertEquals(Optional.of("0123456789abcdef"), f.fingerprint());
    assertEquals(Optional.of(new FindCursor(5, "x")), r.cursor());
    assertEquals(7, r.limit());
  }

  @Test
  void blankValuesMeanNoFilter() {
    assertEquals(ItemFilter.ALL, FilterParams.listRequest(params("status", "", "stream", "  ", "q", "")).filter());
  }

  @ParameterizedTest
  @CsvSource({
      "status, bogus",
      "reason, BAD_REASON",
      "from, yesterday",
      "to, 2026-11-22",
      "fingerprint, ../../etc",
      "cursor, not-a-cursor",
      "limit, 0",
      "limit, 501",
      "limit, ten",
  })
  void aBadValueNamesItsParameter(String name, String value) {
    assertEquals(name, badParameter(params(name, value)).name());
  }

  @Test
  void toMustBeAfterFrom() {
    BadParameter p = badParameter(params("from", "2026-11-22T20:00:00Z", "to", "2026-11-22T20:00:00Z"));
    assertEquals("to", p.name());
  }

  @Test
  void aRepeatedParameterOrAnOverlongValueIsRefused() {
    assertEquals("stream", badParameter(params("stream", "a", "stream", "b")).name());
    assertEquals("group", badParameter(params("group", "g".repeat(FilterParams.MAX_NAME_LENGTH + 1))).name());
    assertEquals("q", badParameter(params("q", "q".repeat(FilterParams.MAX_TEXT_LENGTH + 1))).name());
  }

  @Test
  void aJsonFilterUsesTheSameNamesAndRoundTrips() {
    JsonObject json = new JsonObject().put("stream", "retail").put("status", "QUARANTINED")
        .put("from", "2026-11-22T20:00:00Z").put("q", "anvil").put("key", null);
    ItemFilter f = FilterParams.fromJson(json, "/filter");
    assertEquals(Optional.of("retail"), f.stream());
    assertEquals(Optional.of(QuarantineStatus.QUARANTINED), f.status());
    assertEquals(Optional.empty(), f.key(), "null is absent");
    assertEquals(f, FilterParams.fromJson(FilterParams.toJson(f), "/filter"));
    assertEquals(ItemFilter.ALL, FilterParams.fromJson(null, "/filter"));
  }

  @Test
  void aBadJsonFilterGivesThePointerOfTheBadMember() {
    ConsoleFailure unknown = assertThrows(ConsoleFailure.class,
        () -> FilterParams.fromJson(new JsonObject().put("statsu", "QUARANTINED"), "/filter"));
    assertEquals("/filter/statsu", ((BadField) unknown.error()).pointer(),
        "a misspelt field is refused, never ignored (it would widen a bulk job to everything)");
    ConsoleFailure notString = assertThrows(ConsoleFailure.class,
        () -> FilterParams.fromJson(new JsonObject().put("status", 3), "/filter"));
    assertEquals("/filter/status", ((BadField) notString.error()).pointer());
    ConsoleFailure badStatus = assertThrows(ConsoleFailure.class,
        () -> FilterParams.fromJson(new JsonObject().put("status", "GONE"), "/filter"));
    assertTrue(((BadField) badStatus.error()).reason().contains("QUARANTINED"));
  }
}
