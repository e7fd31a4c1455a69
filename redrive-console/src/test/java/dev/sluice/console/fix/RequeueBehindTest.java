package dev.sluice.console.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.console.support.Items;
import dev.sluice.quarantine.store.OpenItem;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequeueBehindTest {
  private static OpenItem open(String id, QuarantineStatus status, String key, long offset) {
    return new OpenItem(id, status, Optional.ofNullable(key), offset, Instant.EPOCH, 0);
  }

  @Test
  void onlyTheHeadsKeysParkedItemsAfterItCountInOffsetOrder() {
    QuarantineItem head = Items.rejectedProduct(); // key p-1, offset 41
    List<OpenItem> lane = List.of(
        open("later", QuarantineStatus.PARKED, "p-1", 60),
        open("other-key", QuarantineStatus.PARKED, "p-2", 50),
        open(head.id(), QuarantineStatus.QUARANTINED, "p-1", 41),
        open("earlier", QuarantineStatus.PARKED, "p-1", 30),
        open("retrying", QuarantineStatus.RETRYING, "p-1", 45),
        open("first", QuarantineStatus.PARKED, "p-1", 42));
    assertEquals(List.of("first", "later"),
        RequeueBehind.parkedBehind(head, lane).stream().map(OpenItem::id).toList());
  }

  @Test
  void aHeadMustBeAQuarantinedKeyedItemOfAConsumerGroup() {
    assertEquals(true, RequeueBehind.check(Items.rejectedProduct()).succeeded());
    QuarantineItem redriven = Items.item(QuarantineStatus.REDRIVEN, new byte[0], Optional.empty(), Optional.empty());
    assertEquals(true, RequeueBehind.check(redriven).failed());
    assertEquals(true, RequeueBehind.check(Items.ingressReject("{}", List.of())).failed());
  }

  @Test
  void nothingToRequeueBehindIsAConflict() {
    var problem = dev.sluice.console.problem.Problems.of(
        new dev.sluice.console.problem.ConsoleError.NotRequeueable("i-1", "nothing is parked behind it"));
    assertEquals(409, problem.status());
    assertEquals(true, problem.detail().contains("nothing is parked behind it"));
  }
}
