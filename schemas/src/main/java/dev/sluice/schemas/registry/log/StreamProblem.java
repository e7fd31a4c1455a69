package dev.sluice.schemas.registry.log;

import java.util.Objects;

/**
 * Why a stream definition cannot be stored.
 *
 * @param pointer JSON pointer into the stream's canonical JSON form ({@code StreamCatalog.toJson}: types sorted by
 *     name), e.g. {@code /types/0/partitionKey}
 * @param rule a stable rule name, e.g. {@code unregistered-type}, {@code topic-immutable}
 * @param message a sentence for humans
 */
public record StreamProblem(String pointer, String rule, String message) {
  public StreamProblem {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
  }
}
