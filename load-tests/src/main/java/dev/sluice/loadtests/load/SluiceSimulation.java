package dev.sluice.loadtests.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.incrementUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGeneratorIf;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Gatling simulation behind every scenario, built from the run's {@link LoadOptions}. Open model: each virtual
 * user sends one request at its scheduled time, over connections shared by all users (as a service's producers
 * would), and the run's own per-second statistics time it from that scheduled start.
 */
public final class SluiceSimulation extends Simulation {
  private static final String STARTED = "started";

  public SluiceSimulation() {
    LoadRun run = LoadRun.current();
    LoadOptions o = run.options();
    HttpProtocolBuilder protocol = http.baseUrl(o.gateway().toString())
        .shareConnections()
        .disableWarmUp() // Gatling's warm-up would fetch a page from the internet
        .disableCaching()
        .acceptHeader("application/json, application/problem+json")
        .userAgentHeader("sluice-load");
    String path = "/v1/streams/" + o.stream() + "/events";

    HttpRequestActionBuilder valid = post(o, path, "valid", s -> run.events().valid(), 200, 201, 202);
    ChainBuilder send = switch (o.scenario()) {
      case INVALID -> exec(s -> s.set("special", run.nextIsSpecial()))
          .exec(doIfOrElse(s -> s.getBoolean("special"))
              .then(exec(post(o, path, "invalid (expect 422)", s -> run.events().invalid(), 422)))
              .orElse(exec(valid)));
      case POISON -> exec(s -> s.set("special", run.nextIsSpecial()))
          .exec(doIfOrElse(s -> s.getBoolean("special"))
              .then(exec(post(o, path, "poison (price > 100000)", s -> run.events().poison(), 200, 201, 202)))
              .orElse(exec(valid)));
      default -> exec(valid);
    };
    ChainBuilder traffic = timed(run.traffic(), send);
    if (o.scenario() == Scenario.RAMP) {
      traffic = traffic.exec(stopLoadGeneratorIf(s -> run.stopReason().orElse("stopped"), s -> run.stopping()));
    }
    ScenarioBuilder live = scenario(o.scenario().cliName() + " traffic").exec(traffic);

    List<OpenInjectionStep> steps = new ArrayList<>();
    if (!o.warmup().isZero()) {
      // Unmeasured: cold JVMs on both sides and connection set-up would otherwise count against the first seconds.
      steps.add(rampUsersPerSec(1).to(o.firstRate()).during(o.warmup()));
    }
    if (o.scenario() == Scenario.RAMP) {
      RampPlan r = o.ramp();
      steps.add(incrementUsersPerSec(r.stepRate()).times(r.levels()).eachLevelLasting(r.stepDuration())
          .startingFrom(r.startRate()));
    } else {
      steps.add(constantUsersPerSec(o.rate()).during(o.duration()));
    }
    List<PopulationBuilder> populations = new ArrayList<>();
    populations.add(live.injectOpen(steps));
    // The redrive scenario's redrives are one bulk job the runner starts and follows (RedriveJobDriver): here only
    // the live traffic.
    // A hard stop on top of the schedule: nothing outlives the planned load by more than the request timeout.
    setUp(populations).protocols(protocol).maxDuration(o.loadDuration().plus(Duration.ofSeconds(15)));
  }

  private static HttpRequestActionBuilder post(LoadOptions o, String path, String name,
      java.util.function.Function<Session, String> body, Integer... expected) {
    return http(name).post(path)
        .header("Authorization", "Bearer " + o.apiKey())
        .header("Content-Type", LoadEvents.CONTENT_TYPE)
        .body(StringBody(body))
        .check(status().in(expected));
  }

  /** Wraps {@code chain} so the recorder sees when it started and how it ended. */
  private static ChainBuilder timed(TimeSeriesRecorder recorder, ChainBuilder chain) {
    return exec(s -> s.set(STARTED, recorder.started()))
        .exec(chain)
        .exec(s -> {
          long started = s.getLong(STARTED);
          recorder.answered(started, (System.nanoTime() - started) / 1_000, !s.isFailed());
          return s.markAsSucceeded();
        });
  }
}
