package dev.sluice.loadtests.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line of {@code ./sluice load}. Every run is bounded: the rate, the duration and the planned request
 * count have hard caps that no option lifts, so a typo cannot turn the tool into a flood; and every target must be a
 * loopback address unless {@code --allow-remote} says otherwise, so it cannot be pointed at a shared environment by
 * accident.
 *
 * @param scenario what to run
 * @param rate requests per second of the constant-rate scenarios, and of the live traffic under a redrive
 * @param duration how long the constant-rate scenarios run, after the warm-up
 * @param warmup a ramp from 1/s to the first rate before anything is measured (cold JVMs, connection set-up)
 * @param gateway base URL of the gateway ({@code --target})
 * @param console base URL of the redrive console ({@code --console}; the redrive scenario)
 * @param demo base URL of the demo consumer, whose {@code /metrics} the poison scenario watches ({@code --demo})
 * @param allowRemote whether non-loopback targets are allowed ({@code --allow-remote})
 * @param apiKey sent as {@code Authorization: Bearer} to the gateway
 * @param stream the stream posted to
 * @param ramp the ramp's steps and thresholds
 * @param poisonPercent share of poison events in the poison scenario
 * @param items how many quarantined items the redrive scenario redrives at most
 * @param redriveRate redrive requests per second in the redrive scenario
 * @param group the consumer group whose quarantined items the redrive scenario takes ({@code --group})
 * @param out the report directory ({@code --out}; default {@code load-tests/target/load-<scenario>})
 */
public record LoadOptions(Scenario scenario, double rate, Duration duration, Duration warmup, URI gateway, URI console, URI demo,
    boolean allowRemote, String apiKey, String stream, RampPlan ramp, int poisonPercent, int items,
    double redriveRate, String group, Optional<Path> out) {

  /** No option lifts these. */
  public static final double MAX_RATE = 5_000;
  public static final Duration MAX_DURATION = Duration.ofMinutes(10);
  public static final long MAX_REQUESTS = 1_000_000;
  public static final int MAX_ITEMS = 100_000;
  public static final double MAX_REDRIVE_RATE = 1_000;
  public static final Duration MAX_WARMUP = Duration.ofSeconds(60);

  public static final String USAGE = """
      usage: ./sluice load <scenario> [options]
        scenarios:
          steady    valid events at a constant rate
          ramp      ramp to destruction: step the rate up until errors or p99 cross a threshold; reports the knee
          invalid   constant rate, 10 % schema-invalid events (expected 422)
          poison    poison storm: --poison-percent of the events are refused by the demo consumer (price > 100000,
                    HANDLER_REJECTED); the demo's sluice_consumer_* metrics are watched while it runs
          redrive   one bulk redrive job over the group's quarantined items (at most --items), under live traffic at --rate
        options:
          --rate N             requests/s (default 100, at most 5000)
          --duration D         measured part, e.g. 30s, 2m (default 30s, at most 10m)
          --warmup D           unmeasured ramp from 1/s to the first rate before it (default 10s, at most 60s)
          --target URL         the gateway (default http://127.0.0.1:8080)
          --console URL        the redrive console (default http://127.0.0.1:8081)
          --demo URL           the demo consumer, for its /metrics (default http://127.0.0.1:8082)
          --allow-remote       allow non-loopback targets (refused otherwise)
          --api-key KEY        producer key (default dev-producer)
          --stream NAME        the stream (default retail)
          --ramp-start N       ramp: first step's rate (default 100)
          --ramp-step N        ramp: added per step (default 100)
          --ramp-max N         ramp: last step's rate at most (default 3000)
          --step-duration D    ramp: length of each step (default 10s)
          --max-p99 D          ramp: p99 threshold per step (default 250ms)
          --max-errors F       ramp: error ratio threshold per step (default 0.01)
          --poison-percent N   poison: share of poison events (default 50)
          --items N            redrive: refuse to start when more items match (default 100000, at most 100000)
          --redrive-rate N     redrive: redrive requests/s (default 200, at most 1000)
          --group NAME         redrive: the consumer group whose QUARANTINED items are taken (default catalog-builder)
          --out DIR            report directory (default load-tests/target/load-<scenario>)
        Hard caps: rate 5000/s, duration 10 min, 1,000,000 planned requests per run.
      """;

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

  public LoadOptions {
    if (!(rate >= 1 && rate <= MAX_RATE)) {
      throw new IllegalArgumentException("--rate must be between 1 and " + (int) MAX_RATE + ", was " + rate);
    }
    if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("--duration must be between 1s and 10m, was " + duration.toSeconds() + "s");
    }
    if (warmup.isNegative() || warmup.compareTo(MAX_WARMUP) > 0 || warmup.toMillisPart() != 0) {
      throw new IllegalArgumentException("--warmup must be whole seconds between 0s and 60s, was " + warmup.toMillis()
          + " ms");
    }
    if (poisonPercent < 1 || poisonPercent > 100) {
      throw new IllegalArgumentException("--poison-percent must be between 1 and 100, was " + poisonPercent);
    }
    if (items < 1 || items > MAX_ITEMS) {
      throw new IllegalArgumentException("--items must be between 1 and " + MAX_ITEMS + ", was " + items);
    }
    if (!(redriveRate >= 1 && redriveRate <= MAX_REDRIVE_RATE)) {
      throw new IllegalArgumentException("--redrive-rate must be between 1 and " + (int) MAX_REDRIVE_RATE + ", was "
          + redriveRate);
    }
    if (ramp.maxRate() > MAX_RATE) {
      throw new IllegalArgumentException("--ramp-max must be at most " + (int) MAX_RATE + ", was " + ramp.maxRate());
    }
    if (scenario == Scenario.RAMP && ramp.totalDuration().compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("the ramp would last " + ramp.totalDuration().toSeconds() + " s ("
          + ramp.levels() + " steps of " + ramp.stepDuration().toSeconds() + " s), more than 10 min: raise "
          + "--ramp-step or shorten --step-duration");
    }
    long planned = plannedRequests(scenario, rate, duration, warmup, ramp, items);
    if (planned > MAX_REQUESTS) {
      throw new IllegalArgumentException(String.format("the run would send about %,d requests, more than the cap "
          + "of %,d: lower --rate or --duration", planned, MAX_REQUESTS));
    }
  }

  public static LoadOptions defaults(Scenario scenario) {
    return new LoadOptions(scenario, 100, Duration.ofSeconds(30), Duration.ofSeconds(10), URI.create("http://127.0.0.1:8080"),
        URI.create("http://127.0.0.1:8081"), URI.create("http://127.0.0.1:8082"), false, "dev-producer", "retail",
        RampPlan.defaults(), 50, MAX_ITEMS, 200, "catalog-builder", Optional.empty());
  }

  /** The most requests this run sends: the scenario's schedule (the redrive's live traffic plus its items). */
  public long plannedRequests() {
    return plannedRequests(scenario, rate, duration, warmup, ramp, items);
  }

  private static long plannedRequests(Scenario scenario, double rate, Duration duration, Duration warmup,
      RampPlan ramp, int items) {
    double first = scenario == Scenario.RAMP ? ramp.startRate() : rate;
    long warm = (long) Math.ceil((first + 1) / 2 * warmup.toSeconds());
    return warm + switch (scenario) {
      case RAMP -> ramp.plannedRequests();
      case REDRIVE -> (long) Math.ceil(rate * duration.toMillis() / 1000.0) + items;
      default -> (long) Math.ceil(rate * duration.toMillis() / 1000.0);
    };
  }

  /** The rate of the first measured second: where the warm-up ramps to. */
  public double firstRate() {
    return scenario == Scenario.RAMP ? ramp.startRate() : rate;
  }

  /** The rate the schedule offers at {@code second} since the first request, warm-up included. */
  public double offeredAt(int second) {
    long w = warmup.toSeconds();
    if (second < w) {
      return 1 + (firstRate() - 1) * (second + 0.5) / w;
    }
    return scenario == Scenario.RAMP ? ramp.rateAt((int) (second - w)) : rate;
  }

  /** How long the measured load lasts, without the warm-up and the report. */
  public Duration measuredDuration() {
    return scenario == Scenario.RAMP ? ramp.totalDuration() : duration;
  }

  /** How long the load lasts, warm-up included, without the report. */
  public Duration loadDuration() {
    return warmup.plus(measuredDuration());
  }

  /** Whether the command line asks for the usage ({@code -h} or {@code --help} anywhere): printed, status 0. */
  public static boolean wantsHelp(String[] args) {
    return java.util.Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"));
  }

  /**
   * @throws IllegalArgumentException with a message for the user, or with {@link #USAGE} for {@code --help}
   */
  public static LoadOptions parse(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      throw new IllegalArgumentException(USAGE);
    }
    Scenario scenario = Scenario.parse(args[0]);
    LoadOptions d = defaults(scenario);
    double rate = d.rate;
    Duration duration = d.duration;
    Duration warmup = d.warmup;
    String gateway = d.gateway.toString();
    String console = d.console.toString();
    String demo = d.demo.toString();
    boolean allowRemote = false;
    String apiKey = d.apiKey;
    String stream = d.stream;
    RampPlan r = d.ramp;
    double rampStart = r.startRate();
    double rampStep = r.stepRate();
    double rampMax = r.maxRate();
    Duration step = r.stepDuration();
    Duration maxP99 = r.maxP99();
    double maxErrors = r.maxErrorRatio();
    int poisonPercent = d.poisonPercent;
    int items = d.items;
    double redriveRate = d.redriveRate;
    String group = d.group;
    Optional<Path> out = Optional.empty();
    for (int i = 1; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (flag.equals("--allow-remote")) {
        allowRemote = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
      }
      String v = args[++i];
      switch (flag) {
        case "--rate" -> rate = number(flag, v);
        case "--duration" -> duration = duration(flag, v);
        case "--warmup" -> warmup = duration(flag, v);
        case "--target" -> gateway = v;
        case "--console" -> console = v;
        case "--demo" -> demo = v;
        case "--api-key" -> apiKey = v;
        case "--stream" -> stream = v;
        case "--ramp-start" -> rampStart = number(flag, v);
        case "--ramp-step" -> rampStep = number(flag, v);
        case "--ramp-max" -> rampMax = number(flag, v);
        case "--step-duration" -> step = duration(flag, v);
        case "--max-p99" -> maxP99 = duration(flag, v);
        case "--max-errors" -> maxErrors = number(flag, v);
        case "--poison-percent" -> poisonPercent = (int) number(flag, v);
        case "--items" -> items = (int) Math.min(Integer.MAX_VALUE, number(flag, v));
        case "--redrive-rate" -> redriveRate = number(flag, v);
        case "--group" -> group = v;
        case "--out" -> out = Optional.of(Path.of(v));
        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
      }
    }
    return new LoadOptions(scenario, rate, duration, warmup, target(gateway, allowRemote), target(console, allowRemote),
        target(demo, allowRemote), allowRemote, apiKey, stream,
        new RampPlan(rampStart, rampStep, rampMax, step, maxP99, maxErrors), poisonPercent, items, redriveRate, group, out);
  }

  /**
   * An http(s) base URL without a path; its host must be a loopback address unless remote targets are allowed.
   * Names are resolved, so {@code localhost} passes and a name that resolves elsewhere does not.
   */
  static URI target(String url, boolean allowRemote) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("want an http:// or https:// URL, was " + url, e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("want an http:// or https:// URL with a host, was " + url);
    }
    if (!allowRemote) {
      boolean loopback;
      try {
        loopback = InetAddress.getByName(uri.getHost()).isLoopbackAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("unknown host in " + url, e);
      }
      if (!loopback) {
        throw new IllegalArgumentException("refusing to load " + url + ": not a loopback address. Load tests target "
            + "127.0.0.1 by default; pass --allow-remote to aim at another host on purpose.");
      }
    }
    // Paths are appended to it: no trailing slash.
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
  }

  static double number(String flag, String v) {
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d)) {
        throw new NumberFormatException(v);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " wants a number, was " + v, e);
    }
  }

  /** {@code 250ms}, {@code 20s}, {@code 2m}, or plain seconds. */
  static Duration duration(String flag, String v) {
    Matcher m = DURATION.matcher(v.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(flag + " wants a duration like 500ms, 20s or 2m, was " + v);
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " is too large: " + v, e);
    }
    String unit = m.group(2) == null ? "s" : m.group(2);
    if (n > 86_400_000L) {
      throw new IllegalArgumentException(flag + " is too large: " + v);
    }
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
