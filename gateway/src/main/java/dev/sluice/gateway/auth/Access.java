package dev.sluice.gateway.auth;

import java.util.Objects;

/** The answer of {@link Authorizer#check}: go ahead as this key, or refused for this reason. */
public sealed interface Access {
  record Granted(ApiKey key) implements Access {
    public Granted {
      Objects.requireNonNull(key, "key");
    }
  }

  record Denied(AccessFailure failure) implements Access {
    public Denied {
      Objects.requireNonNull(failure, "failure");
    }
  }
}
