package dev.sluice.gateway.auth;

import java.util.Objects;

/** What a request wants to do, as far as access is concerned. */
public sealed interface Scope {
  /** Post events to a stream: the key must list the stream (or {@code *}). */
  record Ingest(String stream) implements Scope {
    public Ingest {
      Objects.requireNonNull(stream, "stream");
    }
  }

  /** Read schemas and stream definitions, or validate a document against a schema: any known key. */
  record RegistryRead() implements Scope {}

  /** Register schemas or change a type's compatibility: admin keys only. */
  record RegistryWrite() implements Scope {}

  /** Create or change stream definitions: admin keys only. */
  record StreamAdmin() implements Scope {}
}
