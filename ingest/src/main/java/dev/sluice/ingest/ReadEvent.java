package dev.sluice.ingest;

import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventChecks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A CloudEvent as read from an HTTP request, before the CloudEvents attribute rules are checked: what the console
 * shows of a captured request, and what {@link #checked()} turns into an event ingest may go on with.
 *
 * @param mode the content mode the request used
 * @param readViolations what only the reader can tell: an attribute of the wrong JSON type, a header given twice or
 *     not valid percent-encoded UTF-8, {@code data_base64}; pointers rooted at the event. Such attributes are absent
 *     from {@code event}.
 */
public record ReadEvent(CloudEvent event, ContentMode mode, List<Violation> readViolations) {
  public ReadEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(mode, "mode");
    readViolations = List.copyOf(readViolations);
  }

  /** The same request with other data: the envelope stays as the producer sent it. */
  public ReadEvent withData(String data) {
    return new ReadEvent(event.withData(data), mode, readViolations);
  }

  /**
   * The event if it keeps the CloudEvents rules; else every violation, the reader's first, then the rules', one per
   * pointer (the reader's, which is the more precise).
   */
  public Outcome<CloudEvent> checked() {
    List<Violation> all = new ArrayList<>(readViolations);
    Set<String> pointers = new HashSet<>();
    readViolations.forEach(v -> pointers.add(v.pointer()));
    for (Violation v : CloudEventChecks.check(event)) {
      if (!pointers.contains(v.pointer())) {
        all.add(v);
      }
    }
    return all.isEmpty() ? Outcome.ok(event) : Outcome.rejected(new Rejection.InvalidAttributes(all));
  }

  /** The CloudEvents HTTP binding's content modes. */
  public enum ContentMode {
    /** The body is the whole event ({@code application/cloudevents+json}). */
    STRUCTURED,
    /** Attributes in {@code ce-*} headers, the body is the data. */
    BINARY
  }
}
