package dev.sluice.quarantine.find;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ItemFilterTest {
  private final QuarantineItem item = TestItems.item("retail.product.created", QuarantineReason.HANDLER_REJECTED,
      "demo.PriceTooHigh", List.of(), "{\"name\":\"Red Anvil\",\"price\":250000}");

  private static ItemFilter with(Optional<String> stream, Optional<String> group, Optional<String> type,
      Optional<QuarantineReason> reason, Optional<QuarantineStatus> status, Optional<Instant> from,
      Optional<Instant> to, Optional<String> key, Optional<String> q) {
    return new ItemFilter(stream, group, type, reason, status, from, to, key, q, Optional.empty());
  }

  @Test
  void theEmptyFilterMatchesEverything() {
    assertTrue(ItemFilter.ALL.matches(item));
  }

  @Test
  void eachFieldFilters() {
    Optional<String> none = Optional.empty();
    assertTrue(with(Optional.of("retail"), none, none, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), none, none).matches(item));
    assertFalse(with(Optional.of("orders"), none, none, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), none, none).matches(item));
    assertFalse(with(none, Optional.of("other-group"), none, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), none, none).matches(item));
    assertFalse(with(none, none, Optional.of("retail.product.updated"), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), none, none).matches(item));
    assertFalse(with(none, none, none, Optional.of(QuarantineReason.MALFORMED), Optional.empty(), Optional.empty(),
        Optional.empty(), none, none).matches(item));
    assertFalse(with(none, none, none, Optional.empty(), Optional.of(QuarantineStatus.PARKED), Optional.empty(),
        Optional.empty(), none, none).matches(item));
    assertFalse(with(none, none, none, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of("p-2"), none).matches(item));
  }

  @Test
  void fromIsInclusiveAndToExclusive() {
    Optional<String> none = Optional.empty();
    Instant at = TestItems.AT;
    assertTrue(with(none, none, none, Optional.empty(), Optional.empty(), Optional.of(at), Optional.empty(), none,
        none).matches(item));
    assertFalse(with(none, none, none, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(at), none,
        none).matches(item));
    assertTrue(with(none, none, none, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(at.plusMillis(1)), none, none).matches(item));
  }

  @Test
  void freeTextIsCaseInsensitiveInThePayload() {
    Optional<String> none = Optional.empty();
    assertTrue(with(none, none, none, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), none,
        Optional.of("red ANVIL")).matches(item));
    assertFalse(with(none, none, none, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), none,
        Optional.of("blue")).matches(item));
  }

  @Test
  void freeTextMatchesOnlyInTheTextItIsGiven() {
    Optional<String> none = Optional.empty();
    ItemFilter anvil = with(none, none, none, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        none, Optional.of("ANVIL"));
    assertTrue(anvil.matches(item, SearchableText.ALL));
    assertTrue(anvil.matches(item, i -> List.of("nothing", "an anvil")), "any of the texts");
    assertFalse(anvil.matches(item, i -> List.of("{\"name\":\"••••••\"}")), "not in what the asker may not see");
    assertFalse(anvil.matches(item, i -> List.of()), "no text: free text matches nothing");
    assertTrue(ItemFilter.ALL.matches(item, i -> List.of()), "without free text the texts are not asked for");
  }

  @Test
  void fingerprintFilters() {
    String id = Fingerprint.of(item).id();
    assertTrue(ItemFilter.ALL.withFingerprint(id).matches(item));
    assertFalse(ItemFilter.ALL.withFingerprint("0000000000000000").matches(item));
  }
}
