package dev.sluice.console.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.http.ConsoleError.BadParameter;
import dev.sluice.quarantine.store.QuarantineQuery;
import dev.sluice.quarantine.store.QuarantineStatus;
import io.vertx.core.MultiMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListParamsTest {

  private static MultiMap params(String... nameValues) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.add(nameValues[i], nameValues[i + 1]);
    }
    return m;
  }

  @Test
  void noParametersMeansEverythingUpToTheDefaultLimit() {
    assertEquals(QuarantineQuery.all(100), ListParams.parse(params()));
  }

  @Test
  void readsEveryFilter() {
    QuarantineQuery q = ListParams.parse(
        params("status", "REDRIVEN", "stream", "retail", "group", "catalog-builder", "limit", "7"));
    assertEquals(new QuarantineQuery(Optional.of(QuarantineStatus.REDRIVEN), Optional.of("retail"),
        Optional.of("catalog-builder"), 7), q);
  }

  @Test
  void statusIsCaseInsensitiveAndEmptyValuesMeanNoFilter() {
    QuarantineQuery q = ListParams.parse(params("status", "quarantined", "stream", "", "group", "  ", "limit", ""));
    assertEquals(new QuarantineQuery(Optional.of(QuarantineStatus.QUARANTINED), Optional.empty(), Optional.empty(),
        100), q);
  }

  @ParameterizedTest
  @CsvSource({
      "status, BROKEN",
      "limit, 0",
      "limit, 501",
      "limit, -3",
      "limit, ten",
      "limit, 99999999999",
  })
  void badValuesNameTheirParameter(String name, String value) {
    ConsoleFailure f = assertThrows(ConsoleFailure.class, () -> ListParams.parse(params(name, value)));
    BadParameter bad = (BadParameter) f.error();
    assertEquals(name, bad.name());
    Problem p = Problems.of(f);
    assertEquals(400, p.status());
    assertEquals(name, p.toJson("/api/v1/quarantine").getString("parameter"));
  }

  @Test
  void limitsAtTheBoundsAreAccepted() {
    assertEquals(1, ListParams.parse(params("limit", "1")).limit());
    assertEquals(QuarantineQuery.MAX_LIMIT, ListParams.parse(params("limit", "500")).limit());
  }

  @Test
  void aRepeatedParameterIsRefused() {
    ConsoleFailure f = assertThrows(ConsoleFailure.class,
        () -> ListParams.parse(params("stream", "a", "stream", "b")));
    assertEquals("stream", ((BadParameter) f.error()).name());
  }

  @Test
  void overlongNamesAreRefusedAndLongBadValuesAreNotEchoedInFull() {
    String longName = "g".repeat(ListParams.MAX_NAME_LENGTH + 1);
    ConsoleFailure f = assertThrows(ConsoleFailure.class, () -> ListParams.parse(params("group", longName)));
    assertEquals("group", ((BadParameter) f.error()).name());

    String longStatus = "X".repeat(10_000);
    ConsoleFailure s = assertThrows(ConsoleFailure.class, () -> ListParams.parse(params("status", longStatus)));
    assertTrue(Problems.of(s).detail().length() < 300, Problems.of(s).detail());
  }
}
