package dev.sluice.deploy.provision;

import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.schemas.registry.log.RegistryLog;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sluice init}: creates, pointed by the config at a real cluster and AWS (or at the dev engines), everything
 * Sluice needs, through the same {@link Provisioner} path the launcher uses at start-up, and prints one line per
 * resource: created, exists (already as wanted) or updated. Running it again changes nothing and says so.
 */
public final class Init {
  private Init() {}

  /** What init did, resource by resource. */
  public record Result(List<Provisioner.Step> steps) {
    public Result {
      steps = List.copyOf(steps);
    }

    public boolean changedNothing() {
      return steps.stream().allMatch(s -> s.outcome() == Provisioner.Outcome.EXISTS);
    }

    public String summary() {
      Map<Provisioner.Outcome, Long> t = Provisioner.tally(steps);
      return "init: " + t.get(Provisioner.Outcome.CREATED) + " created, " + t.get(Provisioner.Outcome.UPDATED)
          + " updated, " + t.get(Provisioner.Outcome.EXISTS) + " already as wanted"
          + (changedNothing() ? " (nothing changed)" : "");
    }
  }

  /** Blocking; prints each step to {@code out} as it happens, then the summary. */
  public static Result run(SluiceConfig config, PrintStream out) {
    List<Provisioner.Step> steps = new ArrayList<>();
    java.util.function.Consumer<Provisioner.Step> report = s -> {
      steps.add(s);
      out.println(s.line());
      out.flush();
    };
    out.println("sluice init: Kafka " + config.kafka().bootstrapServers() + ", AWS region " + config.aws().region()
        + config.aws().dynamoEndpoint().map(e -> ", DynamoDB " + e).orElse("")
        + config.aws().sqsEndpoint().map(e -> ", SQS " + e).orElse(""));
    // The stream topics are the registry's streams: the bootstrap catalog plus those registered through the API.
    try (RegistryLog registry = TopicProvisioner.startRegistry(config, Provisioner.Existing.ALIGN, report)) {
      Provisioner.provision(config, Provisioner.everything(), Provisioner.Existing.ALIGN, registry.registry().catalog(),
          report);
    }
    Result result = new Result(steps);
    out.println(result.summary());
    return result;
  }
}
