package dev.sluice.quarantine.store;

import java.util.Objects;
import java.util.Optional;

/**
 * An operator's fix of a quarantined event's data, as stored for its redrive: the data (compact JSON), and when the
 * event's schema marks values sensitive, the {@code sluice-sealed} header (its JSON text) saying which key sealed
 * which of the data's values. The values themselves are sealed before the edit is stored: an edit never holds a
 * marked value in the clear.
 *
 * @param data the event's new data, its marked values sealed
 * @param seal the {@code sluice-sealed} header that goes with it; empty when it seals nothing
 */
public record RedriveEdit(String data, Optional<String> seal) {
  public RedriveEdit {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(seal, "seal");
  }
}
