package dev.sluice.console.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * How the sign-in form is guarded.
 *
 * @param limits attempts per user name and per client address, and the lockout ({@code sluice.console.login.*})
 * @param publicOrigin the only origin a sign-in form may be posted from ({@code sluice.console.public.origin});
 *     absent: the console's own address, {@code http://<sluice.console.host>:<port>}, which fits a console that
 *     browsers reach directly (as under {@code ./sluice dev}) and no other
 * @param trustedProxies whose {@code X-Forwarded-For} names the client ({@code sluice.console.trusted.proxies})
 */
public record SignInSettings(LoginLimits limits, Optional<PublicOrigin> publicOrigin, TrustedProxies trustedProxies) {
  public SignInSettings {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(publicOrigin, "publicOrigin");
    Objects.requireNonNull(trustedProxies, "trustedProxies");
  }

  public static SignInSettings defaults() {
    return new SignInSettings(LoginLimits.defaults(), Optional.empty(), TrustedProxies.none());
  }
}
