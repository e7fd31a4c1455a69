package dev.sluice.quarantine.consumer;

import dev.sluice.schemas.contracts.PointerReach;
import dev.sluice.schemas.contracts.ReadContract;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What a wrapped group declares it reads ({@link WrapperBuilder#contract}), checked against the schema registry when
 * the wrapper starts: a declaration the registry refutes refuses the start-up, with a message naming each type and
 * pointer at fault. A wrong declaration is worse than none: producers would be told a field is safe to change, or
 * be kept from changing one nobody reads.
 *
 * <ul>
 *   <li>A type the registry does not know is refused. It would declare nothing: no version of it can change, so no
 *       producer would ever be told about this group; it is almost always a typo, and a group cannot read events of
 *       an unregistered type anyway (its triage quarantines them). A type cannot leave the registry, so one known at
 *       start-up stays known.</li>
 *   <li>A pointer that no version of its type's schema reaches ({@link PointerReach}) is refused: strict where a
 *       schema declares the members of an object, lenient where it leaves them open, so an event that may carry the
 *       value under some registered version is never a reason to refuse.</li>
 * </ul>
 *
 * <p>Checked when the wrapper starts, not when it is built: the registry read from its log may be newer by then. Run
 * off the event loop (it parses the type's schemas).
 */
final class DeclaredReads {
  private static final DeclaredReads NONE = new DeclaredReads("", ReadContract.NONE, null);

  private final String group;
  private final ReadContract contract;
  private final SchemaRegistry schemas;

  private DeclaredReads(String group, ReadContract contract, SchemaRegistry schemas) {
    this.group = group;
    this.contract = contract;
    this.schemas = schemas;
  }

  /** A group that declares nothing: nothing to check. */
  static DeclaredReads none() {
    return NONE;
  }

  static DeclaredReads of(String group, ReadContract contract, SchemaRegistry schemas) {
    return new DeclaredReads(Objects.requireNonNull(group, "group"), Objects.requireNonNull(contract, "contract"),
        Objects.requireNonNull(schemas, "schemas"));
  }

  ReadContract contract() {
    return contract;
  }

  /** Why the registry as it is now refutes the declaration; empty when it does not (or nothing is declared). */
  Optional<String> refusal() {
    if (!contract.declaresReads()) {
      return Optional.empty();
    }
    List<String> problems = problems(contract, schemas.state());
    return problems.isEmpty() ? Optional.empty() : Optional.of("consumer group " + group + " declares reads the "
        + "schema registry refutes, so it does not start: " + String.join("; ", problems)
        + ". Fix the read contract (pointers start at /data; * stands for any item or member)");
  }

  /** Each type the state does not know, and each pointer no version of its type reaches, in type and pointer order. */
  static List<String> problems(ReadContract contract, RegistryState state) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, SortedSet<String>> e : contract.reads().entrySet()) {
      String type = e.getKey();
      List<SchemaVersion> versions = state.versions(type);
      if (versions.isEmpty()) {
        out.add("type `" + type + "` is not in the schema registry (a typo would declare nothing)");
        continue;
      }
      List<PointerReach> reaches = versions.stream().map(v -> new PointerReach(v.schemaJson())).toList();
      for (String pointer : e.getValue()) {
        if (reaches.stream().noneMatch(r -> r.reaches(pointer))) {
          out.add("type `" + type + "`: no version of its schema (v1" + (versions.size() > 1 ? "-v" + versions.size()
              : "") + ") reaches `" + pointer + "`");
        }
      }
    }
    return out;
  }
}
