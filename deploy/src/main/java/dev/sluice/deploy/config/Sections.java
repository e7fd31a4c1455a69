package dev.sluice.deploy.config;

import dev.sluice.console.auth.AuthSettings;
import dev.sluice.console.auth.Credentials;
import dev.sluice.console.auth.LoginLimits;
import dev.sluice.console.auth.PublicOrigin;
import dev.sluice.console.auth.SignInSettings;
import dev.sluice.console.auth.TrustedProxies;
import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.quarantine.guard.HaltRule;
import dev.sluice.console.jobs.JobSettings;
import dev.sluice.gateway.config.ClientTimeouts;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.ingest.kafka.ProducerSafety;
import dev.sluice.ingest.ReadLimits;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.consumer.Concurrency;
import dev.sluice.quarantine.consumer.DelayedRetry;
import dev.sluice.quarantine.consumer.WrapperConfig;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.retry.RetryClassifier;
import dev.sluice.quarantine.storm.StormBreaker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the config records of the other modules (which know nothing of files and environments) from prefixed keys,
 * Strimzi-style. Every key and default is listed in docs/configuration.md.
 */
final class Sections {
  private Sections() {}

  /** Where the AWS-compatible services are: the local dev engines, or real AWS. */
  enum AwsTarget {
    LOCAL, AWS
  }

  static AwsConfig aws(ConfigReader r, EngineConfig dev) {
    AwsTarget target = r.enumValue("sluice.aws.target", AwsTarget.class, AwsTarget.LOCAL);
    String region = r.string("sluice.aws.region", "us-east-1");
    Optional<URI> dynamo = r.optionalUri("sluice.dynamodb.endpoint");
    Optional<URI> sqs = r.optionalUri("sluice.sqs.endpoint");
    Optional<String> keyId = r.optionalString("sluice.aws.access.key.id");
    Optional<String> secret = r.optionalString("sluice.aws.secret.access.key");
    if (keyId.isPresent() != secret.isPresent()) {
      r.problem("sluice.aws.access.key.id and sluice.aws.secret.access.key go together: set both or neither");
    }
    Optional<AwsConfig.StaticKeys> keys = keyId.flatMap(k -> secret.map(s -> new AwsConfig.StaticKeys(k, s)));
    if (target == AwsTarget.LOCAL) {
      // DynamoDB Local and ElasticMQ accept any keys; dummy ones spare a credential chain lookup.
      int dynamoPort = dev == null ? 8000 : dev.dynamoDbPort();
      int sqsPort = dev == null ? 9324 : dev.sqsPort();
      dynamo = dynamo.or(() -> Optional.of(URI.create("http://127.0.0.1:" + dynamoPort)));
      sqs = sqs.or(() -> Optional.of(URI.create("http://127.0.0.1:" + sqsPort)));
      keys = keys.or(() -> Optional.of(new AwsConfig.StaticKeys("local", "local")));
    }
    Optional<URI> dynamoEndpoint = dynamo;
    Optional<URI> sqsEndpoint = sqs;
    Optional<AwsConfig.StaticKeys> staticKeys = keys;
    String table = r.string("sluice.dynamodb.table", "sluice-quarantine");
    String prefix = r.string("sluice.sqs.queue.prefix", "sluice");
    return r.build("sluice.aws", () -> new AwsConfig(region, dynamoEndpoint, sqsEndpoint, staticKeys, table, prefix));
  }

  static GatewayConfig gateway(ConfigReader r) {
    GatewayConfig d = GatewayConfig.defaults();
    String host = r.string("sluice.gateway.host", d.host());
    int port = r.integer("sluice.gateway.port", d.port(), 0, 65535);
    long maxBody = r.longValue("sluice.gateway.max.body.bytes", d.maxBodyBytes(), 1, Long.MAX_VALUE);
    Duration appendTimeout = r.duration("sluice.gateway.append.timeout", d.appendTimeout());
    ReadLimits l = d.limits();
    int maxDepth = r.integer("sluice.gateway.max.depth", l.maxDepth(), 2, ReadLimits.MAX_DEPTH_CEILING);
    int maxNumber = r.integer("sluice.gateway.max.number.length", l.maxNumberLength(), 1,
        ReadLimits.MAX_NUMBER_LENGTH_CEILING);
    int maxString = r.integer("sluice.gateway.max.string.length", l.maxStringLength(), 256,
        ReadLimits.MAX_STRING_LENGTH_CEILING);
    int maxBatch = r.integer("sluice.gateway.max.batch.events", l.maxBatchEvents(), 1,
        ReadLimits.MAX_BATCH_EVENTS_CEILING);
    ProducerSafety ps = d.producerSafety();
    boolean allowUnsafe = r.bool("sluice.gateway.producer.allow.unsafe", ps.allowUnsafe());
    int maxInFlight = r.integer("sluice.gateway.producer.max.in.flight.appends", ps.maxInFlightAppends(), 1,
        10_000_000);
    long maxInFlightBytes = r.longValue("sluice.gateway.producer.max.in.flight.bytes", ps.maxInFlightBytes(), 1024,
        Long.MAX_VALUE);
    ClientTimeouts ct = d.clientTimeouts();
    Duration header = r.duration("sluice.gateway.client.header.timeout", ct.header());
    Duration body = r.duration("sluice.gateway.client.body.timeout", ct.body());
    Duration keepAlive = r.duration("sluice.gateway.client.keepalive.timeout", ct.keepAliveIdle());
    int instances = r.integer("sluice.gateway.instances", d.instances(), 1, 256);
    return r.build("sluice.gateway", () -> new GatewayConfig(host, port, maxBody, appendTimeout,
        new ReadLimits(maxDepth, maxNumber, maxString, maxBatch),
        new ProducerSafety(allowUnsafe, maxInFlight, maxInFlightBytes),
        new ClientTimeouts(header, body, keepAlive), instances));
  }

  static ConsoleConfig console(ConfigReader r) {
    ConsoleConfig d = ConsoleConfig.defaults();
    String host = r.string("sluice.console.host", d.host());
    int port = r.integer("sluice.console.port", d.port(), 0, 65535);
    String auditTable = r.string("sluice.console.audit.table", d.auditTable());
    JobSettings dj = d.jobs();
    String jobsTable = r.string("sluice.console.jobs.table", dj.table());
    double haltRatio = parseDouble(r, "sluice.console.jobs.halt.ratio", dj.halt().ratio());
    long haltMin = r.longValue("sluice.console.jobs.halt.min", dj.halt().minOutcomes(), 1, Long.MAX_VALUE);
    Duration lease = r.duration("sluice.console.jobs.lease", dj.lease());
    // The minimum is bounded as it is read: only the ratio can be refused here.
    HaltRule halt = r.build("sluice.console.jobs.halt.ratio", () -> new HaltRule(haltRatio, haltMin));
    AuthSettings auth = consoleAuth(r);
    return auth == null || halt == null ? null : r.build("sluice.console", () -> new ConsoleConfig(host, port, auth,
        auditTable, new JobSettings(jobsTable, halt, dj.outcomeCheckEvery(), dj.maxRatePerSecond(), lease)));
  }

  /**
   * Who may use the console: users and tokens ({@code sluice.console.users.<name>.*},
   * {@code sluice.console.tokens.<name>.*}, hashes only), the documented dev credentials when
   * {@code sluice.console.dev.users} is true (the default only under {@code ./sluice dev}), the session cookie and
   * the sessions table.
   */
  static AuthSettings consoleAuth(ConfigReader r) {
    boolean devUsers = r.bool("sluice.console.dev.users", false);
    List<String> problems = new ArrayList<>();
    // Read from the raw keys by prefix: marked read, so the launcher does not call them misspelt.
    r.markPrefixRead("sluice.console.users.");
    r.markPrefixRead("sluice.console.tokens.");
    Credentials configured = Credentials.parse(r.raw(), problems);
    problems.forEach(r::problem);
    Duration ttl = r.duration("sluice.console.session.ttl", AuthSettings.DEFAULT_SESSION_TTL);
    String sessionTable = r.string("sluice.console.session.table", AuthSettings.DEFAULT_SESSION_TABLE);
    boolean secure = r.bool("sluice.console.cookie.secure", false);
    long bulkLimit = r.longValue("sluice.console.bulk.operator.limit", AuthSettings.DEFAULT_OPERATOR_BULK_LIMIT, 0,
        Long.MAX_VALUE);
    SignInSettings signIn = signIn(r);
    return r.build("sluice.console", () -> new AuthSettings(
        devUsers ? configured.plus(Credentials.dev()) : configured, devUsers, ttl, secure, sessionTable, bulkLimit,
        signIn));
  }

  /**
   * The sign-in form's guards: attempts per user name and per address ({@code sluice.console.login.*}), the origin
   * it must be posted from ({@code sluice.console.public.origin}; absent: the console's own address), and the proxies
   * whose {@code X-Forwarded-For} is believed ({@code sluice.console.trusted.proxies}; none by default). A value
   * that does not parse is a problem; the defaults then stand in until validation reports it.
   */
  static SignInSettings signIn(ConfigReader r) {
    LoginLimits d = LoginLimits.defaults();
    int userAttempts = r.integer("sluice.console.login.user.attempts", d.userAttempts(), 1, LoginLimits.MAX_ATTEMPTS);
    int addressAttempts = r.integer("sluice.console.login.address.attempts", d.addressAttempts(), 1,
        LoginLimits.MAX_ATTEMPTS);
    Duration window = r.duration("sluice.console.login.window", d.window());
    Duration lockout = r.duration("sluice.console.login.lockout", d.lockout());
    LoginLimits limits = r.build("sluice.console.login",
        () -> new LoginLimits(userAttempts, addressAttempts, window, lockout));
    Optional<String> originText = r.optionalString("sluice.console.public.origin");
    Optional<PublicOrigin> origin = originText.map(text -> r.build("sluice.console.public.origin",
        () -> PublicOrigin.parse(text)));
    String proxiesText = r.string("sluice.console.trusted.proxies", "");
    TrustedProxies proxies = r.build("sluice.console.trusted.proxies", () -> TrustedProxies.parse(proxiesText));
    if (limits == null || proxies == null || (originText.isPresent() && origin.isEmpty())) {
      return SignInSettings.defaults();
    }
    return new SignInSettings(limits, origin, proxies);
  }

  static DemoConfig demo(ConfigReader r) {
    DemoConfig d = DemoConfig.defaults();
    String host = r.string("sluice.demo.host", d.host());
    int port = r.integer("sluice.demo.port", d.port(), 0, 65535);
    String group = r.string("sluice.demo.group", d.group());
    String table = r.string("sluice.demo.table", d.catalogTable());
    int version = r.integer("sluice.demo.version", d.blueGreen().version(), DemoConfig.FIRST_VERSION,
        DemoConfig.LAST_VERSION);
    String activeViewTable = r.string("sluice.demo.active.view.table", d.blueGreen().activeViewTable());
    return r.build("sluice.demo", () -> new DemoConfig(host, port, group, table,
        new DemoConfig.BlueGreen(version, activeViewTable)));
  }

  /**
   * The demo consumer's wrapper, tier by tier: in place ({@code sluice.demo.retry.*}, default the short dev policy so
   * that a failing event leaves the partition in < 8 s), delayed ({@code sluice.demo.delayed.*}, default
   * {@link DelayedRetry#dev()}), the ordering guard's refresh ({@code sluice.demo.lane.refresh.interval}), and how many
   * records are handled at once ({@code sluice.demo.concurrency.*}: by default 16 keys side by side per partition, 64
   * records per consumer), and the storm breaker ({@code sluice.demo.storm.*}: on by default, with
   * {@link StormBreaker#defaults()}).
   */
  static WrapperConfig demoWrapper(ConfigReader r, DemoConfig demo) {
    BackoffPolicy d = BackoffPolicy.dev();
    int attempts = r.integer("sluice.demo.retry.max.attempts", d.maxAttempts(), 1, 100);
    Duration initial = r.duration("sluice.demo.retry.initial.interval", d.initialInterval());
    Duration max = r.duration("sluice.demo.retry.max.interval", d.maxInterval());
    double multiplier = parseDouble(r, "sluice.demo.retry.multiplier", d.multiplier());
    BackoffPolicy.Jitter jitter = r.enumValue("sluice.demo.retry.jitter", BackoffPolicy.Jitter.class, d.jitter());
    Optional<Duration> maxElapsed = optionalDuration(r, "sluice.demo.retry.max.elapsed");
    int maxPollRecords = r.integer("sluice.demo.max.poll.records", 500, 1, 10_000);
    Duration handlerTimeout = r.duration("sluice.demo.handler.timeout", Duration.ofSeconds(5));
    Duration maxPollInterval = r.duration("sluice.demo.max.poll.interval", Duration.ofMinutes(5));
    Duration redriveResendAfter = r.duration("sluice.demo.redrive.resend.after", Duration.ofMinutes(5));
    Duration errorBackoff = r.duration("sluice.demo.error.backoff", Duration.ofSeconds(1));
    Duration laneRefresh = r.duration("sluice.demo.lane.refresh.interval", Duration.ofSeconds(5));
    Duration commitInterval = r.duration("sluice.demo.commit.interval", Duration.ofSeconds(1));
    // On by default: the demo's handler writes one item per key, so keys may be handled side by side.
    int perPartition = r.integer("sluice.demo.concurrency.per.partition", 16, 1, Concurrency.MAX_PER_PARTITION);
    int perConsumer = r.integer("sluice.demo.concurrency.per.consumer", 64, 1, 100_000);

    DelayedRetry dd = DelayedRetry.dev();
    boolean delayedEnabled = r.bool("sluice.demo.delayed.enabled", dd.enabled());
    int retries = r.integer("sluice.demo.delayed.max.retries", dd.maxRetries(), 0, 1_000);
    Duration delayedInitial = r.duration("sluice.demo.delayed.initial.interval", dd.backoff().initialInterval());
    Duration delayedMax = r.duration("sluice.demo.delayed.max.interval", dd.backoff().maxInterval());
    double delayedMultiplier = parseDouble(r, "sluice.demo.delayed.multiplier", dd.backoff().multiplier());
    BackoffPolicy.Jitter delayedJitter = r.enumValue("sluice.demo.delayed.jitter", BackoffPolicy.Jitter.class,
        dd.backoff().jitter());
    Optional<Duration> delayedBudget = optionalDuration(r, "sluice.demo.delayed.max.elapsed")
        .or(() -> dd.backoff().maxElapsed());
    Duration delayedWait = r.duration("sluice.demo.delayed.wait", dd.receiveWait());
    Duration delayedResend = r.duration("sluice.demo.delayed.resend.after", dd.resendAfter());

    StormBreaker sd = StormBreaker.defaults();
    boolean stormEnabled = r.bool("sluice.demo.storm.enabled", sd.enabled());
    double stormShare = parseDouble(r, "sluice.demo.storm.share", sd.share());
    int stormWindow = r.integer("sluice.demo.storm.window", sd.window(), 1, StormBreaker.MAX_WINDOW);
    int stormMin = r.integer("sluice.demo.storm.min.failures", sd.minFailures(), 1, StormBreaker.MAX_WINDOW);
    StormBreaker storm = r.build("sluice.demo.storm",
        () -> new StormBreaker(stormEnabled, stormShare, stormWindow, stormMin));

    BackoffPolicy backoff = r.build("sluice.demo.retry",
        () -> new BackoffPolicy(initial, multiplier, max, attempts, jitter, maxElapsed));
    DelayedRetry delayed = r.build("sluice.demo.delayed", () -> delayedEnabled && retries > 0
        ? DelayedRetry.of(retries, new BackoffPolicy(delayedInitial, delayedMultiplier, delayedMax, 1, delayedJitter,
            delayedBudget)).withReceiveWait(delayedWait).withResendAfter(delayedResend)
        : DelayedRetry.disabled().withReceiveWait(delayedWait).withResendAfter(delayedResend));
    if (backoff == null || delayed == null || demo == null || storm == null) {
      return null;
    }
    return r.build("sluice.demo", () -> new WrapperConfig(demo.group(), Set.of("retail"), backoff,
        RetryClassifier.defaults(), maxPollRecords, maxPollInterval, handlerTimeout, errorBackoff,
        Duration.ofSeconds(2), redriveResendAfter, delayed, laneRefresh, commitInterval,
        new Concurrency(perPartition, perConsumer), storm));
  }

  private static Optional<Duration> optionalDuration(ConfigReader r, String key) {
    return r.optionalString(key).isPresent() ? Optional.of(r.duration(key, Duration.ZERO)) : Optional.empty();
  }

  private static double parseDouble(ConfigReader r, String key, double defaultValue) {
    Optional<String> v = r.optionalString(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(v.get());
    } catch (NumberFormatException e) {
      r.problem(key + " = '" + v.get() + "': expected a number");
      return defaultValue;
    }
  }
}
