package dev.sluice.gateway.confluent;

import dev.sluice.gateway.auth.AccessFailure;
import dev.sluice.gateway.registry.ContractJson;
import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaProblem;
import dev.sluice.schemas.registry.log.CompatibilityChange;
import dev.sluice.schemas.registry.log.LogUnavailable;
import dev.sluice.schemas.registry.log.Registration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tells the registry's outcomes (the same values its own API answers from) and access refusals Confluent's way.
 * Pure.
 */
public final class ConfluentOutcomes {
  private ConfluentOutcomes() {}

  /**
   * A registration: {@code {"id"}} when created or already there (200 both, as Confluent answers); 409 when it breaks
   * the compatibility level; 42201 when the schema may not be registered; 50002 when the log did not confirm in time.
   *
   * @param after the registry once the registration was applied, which holds the new schema's id
   */
  public static ConfluentAnswer registered(Registration r, RegistryState after) {
    return registered(r, after, ContractImpact.NONE);
  }

  /**
   * As above; a 409 also names the live consumer groups whose declared reads the change touches ({@code impact}), and
   * a change refused because it breaks declared reads (protect mode) is a 409 too, naming them.
   */
  public static ConfluentAnswer registered(Registration r, RegistryState after, ContractImpact impact) {
    if (r instanceof Registration.Created c) {
      return idOf(c.version().fingerprint(), after);
    }
    if (r instanceof Registration.Existing e) {
      return idOf(e.version().fingerprint(), after);
    }
    if (r instanceof Registration.Incompatible i) {
      String against = i.checkedAgainst().stream().map(String::valueOf).collect(Collectors.joining(", "));
      List<String> groups = ContractJson.lines("affects", impact.affects());
      return ConfluentAnswer.failed(ConfluentError.incompatible(i.level() + " compatibility with version"
          + (i.checkedAgainst().size() > 1 ? "s " : " ") + against + " is broken: "
          + i.changes().stream().map(ConfluentResponses::message).collect(Collectors.joining("; "))
          + (groups.isEmpty() ? "" : "; " + String.join("; ", groups))));
    }
    if (r instanceof Registration.DeclaredReadsBroken b) {
      return ConfluentAnswer.failed(ConfluentError.declaredReadsBroken("against version " + b.latestVersion() + ": "
          + String.join("; ", ContractJson.lines("breaks", b.impact().protectedFieldsBroken()))));
    }
    if (r instanceof Registration.Refused refused) {
      return ConfluentAnswer.failed(refused(refused.problems()));
    }
    return ConfluentAnswer.failed(ConfluentError.timeout(((LogUnavailable) r).detail()));
  }

  /** A schema that may not be registered (42201), every problem with its pointer and rule. */
  public static ConfluentError refused(List<SchemaProblem> problems) {
    return ConfluentError.invalidSchema(problems.stream().map(ConfluentOutcomes::problem)
        .collect(Collectors.joining("; ")));
  }

  /** A compatibility setting: {@code {"compatibility"}}, 40401 for a subject with no version, 50002 on timeout. */
  public static ConfluentAnswer compatibilitySet(String subject, CompatibilityChange c) {
    if (c instanceof CompatibilityChange.Set set) {
      return new ConfluentAnswer.Ok(ConfluentResponses.configSet(set.level()));
    }
    if (c instanceof CompatibilityChange.UnknownType) {
      return ConfluentAnswer.failed(ConfluentError.subjectNotFound(subject,
          " A compatibility level is set once the subject has its first version."));
    }
    return ConfluentAnswer.failed(ConfluentError.timeout(((LogUnavailable) c).detail()));
  }

  /** 401 (40101) with its challenge, 403 (40301), or 429 (42901) with Retry-After; the detail names no token. */
  public static ConfluentError denied(AccessFailure failure) {
    int status = failure.problem().status();
    int code = switch (status) {
      case 401 -> ConfluentError.UNAUTHORIZED;
      case 403 -> ConfluentError.FORBIDDEN;
      case 429 -> ConfluentError.RATE_LIMITED;
      default -> status;
    };
    Map<String, String> headers = failure.headers();
    return new ConfluentError(status, code, failure.detail(), headers);
  }

  private static ConfluentAnswer idOf(String fingerprint, RegistryState after) {
    // Applied before the admin answered (read-your-writes), so the id is there; Existing was there already.
    return new ConfluentAnswer.Ok(ConfluentResponses.id(after.ids().id(fingerprint).orElseThrow()));
  }

  private static String problem(SchemaProblem p) {
    return (p.pointer().isEmpty() ? "" : p.pointer() + ": ") + p.message() + " (" + p.rule() + ")";
  }
}
