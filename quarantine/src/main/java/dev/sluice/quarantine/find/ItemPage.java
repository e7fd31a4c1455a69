package dev.sluice.quarantine.find;

import dev.sluice.quarantine.store.QuarantineItem;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a find, newest first. {@code next} is absent when nothing older matches; a page may hold fewer than the
 * limit and still have a next page, when the store stopped at its per-request read budget.
 */
public record ItemPage(List<QuarantineItem> items, Optional<FindCursor> next) {
  public ItemPage {
    items = List.copyOf(items);
    Objects.requireNonNull(next, "next");
  }
}
