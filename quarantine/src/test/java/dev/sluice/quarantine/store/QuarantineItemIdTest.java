package dev.sluice.quarantine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Item ids are stored: the digest kept per thread must give exactly the ids {@link UUID#nameUUIDFromBytes} gave. */
class QuarantineItemIdTest {
  @Test
  void idsAreTheNameBasedUuidsTheyWereBefore() {
    String[] names = {"", "a", "g\u0000orders\u00003\u000042", "é ünïcode \uD83D\uDE00", "x".repeat(500)};
    for (String name : names) {
      assertEquals(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString(),
          QuarantineItem.nameUuid(name));
    }
    assertEquals(UUID.nameUUIDFromBytes("g\u0000t\u00001\u00007".getBytes(StandardCharsets.UTF_8)).toString(),
        QuarantineItem.idFor("g", "t", 1, 7));
    assertEquals(QuarantineItem.idFor("g", "t", 1, 7), QuarantineItem.idFor("g", "t", 1, 7, Optional.empty()));
    assertNotEquals(QuarantineItem.idFor("g", "t", 1, 7), QuarantineItem.idFor("g", "t", 1, 7, Optional.of("r1")));
  }

  @Test
  void threadsMakingIdsAtOnceGetTheSameIds() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> all = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        all.add(pool.submit(() -> {
          for (int i = 0; i < 5_000; i++) {
            String name = "g\u0000t\u00000\u0000" + i;
            if (!UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString()
                .equals(QuarantineItem.nameUuid(name))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : all) {
        assertEquals(true, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
