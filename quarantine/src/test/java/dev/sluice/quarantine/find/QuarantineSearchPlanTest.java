package dev.sluice.quarantine.find;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineTable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which index answers which filter: the documented plan, so a filter never turns into a table scan. */
class QuarantineSearchPlanTest {
  private static ItemFilter filter(String stream, String group, QuarantineStatus status, String type) {
    return new ItemFilter(Optional.ofNullable(stream), Optional.ofNullable(group), Optional.ofNullable(type),
        Optional.empty(), Optional.ofNullable(status), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  @Test
  void statusUsesTheStatusIndexWithTheRestAsFilterExpression() {
    QuarantineSearch.Plan p = QuarantineSearch.plan(filter("retail", "g", QuarantineStatus.PARKED, "t"));
    assertEquals(QuarantineTable.BY_STATUS_INDEX, p.index());
    assertEquals(List.of("PARKED"), p.hashValues());
    assertEquals(List.of("stream", "group", "type"), p.filteredFields());
  }

  @Test
  void groupThenStreamUseTheirOwnIndexes() {
    QuarantineSearch.Plan g = QuarantineSearch.plan(filter("retail", "g", null, null));
    assertEquals(QuarantineTable.BY_GROUP_INDEX, g.index());
    assertEquals(List.of("g"), g.hashValues());
    assertEquals(List.of("stream"), g.filteredFields());
    QuarantineSearch.Plan s = QuarantineSearch.plan(filter("retail", null, null, "t"));
    assertEquals(QuarantineTable.BY_STREAM_INDEX, s.index());
    assertEquals(List.of("type"), s.filteredFields());
  }

  @Test
  void noIndexedFieldQueriesEveryStatus() {
    QuarantineSearch.Plan p = QuarantineSearch.plan(ItemFilter.ALL);
    assertEquals(QuarantineTable.BY_STATUS_INDEX, p.index());
    assertEquals(QuarantineStatus.values().length, p.hashValues().size());
    assertTrue(p.filteredFields().isEmpty());
  }

  @Test
  void timeRangeAndCursorNarrowTheKeyCondition() {
    ItemFilter f = new ItemFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(Instant.ofEpochMilli(100)), Optional.of(Instant.ofEpochMilli(200)),
        Optional.empty(), Optional.empty(), Optional.empty());
    long[] r = QuarantineSearch.range(f, Optional.empty()).orElseThrow();
    assertEquals(100, r[0]);
    assertEquals(199, r[1], "to is exclusive");
    assertEquals(150, QuarantineSearch.range(f, Optional.of(new FindCursor(150, "x"))).orElseThrow()[1]);
    assertTrue(QuarantineSearch.range(f, Optional.of(new FindCursor(50, "x"))).isEmpty(), "cursor before from");
  }
}
