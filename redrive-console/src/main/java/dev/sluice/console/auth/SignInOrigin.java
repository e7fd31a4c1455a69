package dev.sluice.console.auth;

import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The origin browsers reach a console at, which sign-ins must come from ({@link SignIn}): the configured one, or else
 * the console's own address. Only a console that browsers reach directly, as under {@code ./sluice dev}, has that;
 * its port may be known only once it listens, so it is asked for at each sign-in.
 */
public final class SignInOrigin implements Supplier<PublicOrigin> {
  private static final System.Logger LOG = System.getLogger(SignInOrigin.class.getName());

  private final Optional<PublicOrigin> configured;
  private final String host;
  private final IntSupplier port;

  /**
   * @param host the address the console listens on ({@code sluice.console.host})
   * @param port the port it listens on, once it does
   */
  public SignInOrigin(AuthSettings auth, String host, IntSupplier port) {
    this.configured = auth.signIn().publicOrigin();
    this.host = Objects.requireNonNull(host, "host");
    this.port = Objects.requireNonNull(port, "port");
    if (configured.isEmpty() && PublicOrigin.isWildcard(host) && !auth.credentials().users().isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "sluice.console.public.origin is not set and the console listens on "
          + host + ": every sign-in from a browser will be refused. Set it to the address browsers use, "
          + "e.g. https://sluice-console.example.com.");
    }
  }

  @Override
  public PublicOrigin get() {
    return configured.orElseGet(() -> PublicOrigin.ofLocal(host, port.getAsInt()));
  }
}
