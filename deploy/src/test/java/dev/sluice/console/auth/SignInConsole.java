package dev.sluice.console.auth;

import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.console.ConsoleParts;
import dev.sluice.console.ConsoleVerticle;
import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.ingest.seal.EventSealing;
import dev.sluice.ingest.seal.SealingAppender;
import dev.sluice.quarantine.kafka.RecordPayloads;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A console of a sign-in test's own, configured through the real config loader like {@code ./sluice console}, on
 * the stack's engines but a sessions table of its own (so that its lockouts, of 127.0.0.1 too, reach no other test),
 * with the clock its sessions and sign-in limits judge by; and the HTTP a browser or a script would send it.
 */
final class SignInConsole implements AutoCloseable {
  /** The password of {@link #user}, a configured operator. */
  static final String PASSWORD = "the-right-password-1";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  final Vertx vertx = Vertx.vertx();
  final DynamoDbClient dynamo;
  final SqsClient sqs;
  final ConsoleVerticle verticle;
  /** A configured user (role operator) of this test's own, with {@link #PASSWORD}. */
  final String user;
  final String table;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A fresh sessions table name, for consoles that should share one. */
  static String newTable() {
    return "it-sign-in-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * @param settings sign-in settings ({@code sluice.console.*} keys), on top of the engines' endpoints, port 0, the
   *     dev users and the table
   */
  SignInConsole(Stack stack, String table, String user, Clock clock, Map<String, String> settings) throws Exception {
    this.table = table;
    this.user = user;
    Map<String, String> raw = new HashMap<>(Map.of(
        "sluice.kafka.bootstrap.servers", stack.engines().bootstrapServers(),
        "sluice.dynamodb.endpoint", stack.engines().dynamoEndpoint(),
        "sluice.sqs.endpoint", stack.engines().sqsEndpoint(),
        "sluice.console.port", "0",
        "sluice.console.dev.users", "true",
        "sluice.console.session.table", table,
        "sluice.console.users." + user + ".password",
        PasswordHash.create(PASSWORD, 1_000, new SecureRandom()).encoded(),
        "sluice.console.users." + user + ".role", "operator"));
    raw.putAll(settings);
    SluiceConfig config = SluiceConfig.from(RawConfig.of(raw));
    dynamo = AwsClients.dynamo(config.aws());
    sqs = AwsClients.sqs(config.aws());
    // What the console's start-up provisioning does for this table.
    Sessions.ensureTable(dynamo, table);
    AuthSettings auth = config.console().auth();
    EventAppender appender = RedriveService.appender(vertx, stack.kafkaProps(), Duration.ofSeconds(5))
        .await(30, TimeUnit.SECONDS);
    verticle = new ConsoleVerticle(config.console(), parts(vertx, dynamo, sqs, config, appender, auth, clock),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    vertx.deployVerticle(verticle).await(30, TimeUnit.SECONDS);
  }

  /**
   * The parts of a console of a test's own, on the tables and queues {@code config} names: sessions as {@code auth}
   * configures them but judged by {@code clock}, and neither a consumer-group registry, bulk jobs nor replays.
   */
  static ConsoleParts parts(Vertx vertx, DynamoDbClient dynamo, SqsClient sqs, SluiceConfig config,
      EventAppender appender, AuthSettings auth, Clock clock) {
    SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
    QuarantineStore store = new QuarantineStore(vertx, dynamo, config.aws().quarantineTable(), Clock.systemUTC());
    AuditLog audit = new AuditLog(vertx, dynamo, config.console().auditTable(), Clock.systemUTC());
    Sessions sessions = new Sessions(vertx, dynamo, auth.sessionTable(), auth.sessionTtl(), clock, new SecureRandom());
    return new ConsoleParts(registry, store,
        ConsoleParts.Redrives.of(store, new RedriveQueue(vertx, sqs, config.aws().queuePrefix()),
            new SealingAppender(new EventSealing(SubjectKeys.NONE), appender), registry,
            ValidationLane.create(vertx), new RecordPayloads(vertx, config.kafka().clientConfig())),
        audit, ConsoleParts.Access.of(auth, sessions, audit), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  static String newUser() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  String url() {
    return "http://127.0.0.1:" + verticle.actualPort();
  }

  int port() {
    return verticle.actualPort();
  }

  /** POST /login as a script would (no Origin, no Accept), with {@code headers} (name, value, ...) added. */
  HttpResponse<String> signIn(String name, String password, String... headers) {
    String form = "username=" + enc(name) + "&password=" + enc(password) + "&next=" + enc("/");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  private HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return http.send(b.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** An answer read off a raw socket: the status and the headers (names in lower case; the last of each name). */
  record RawAnswer(int status, Map<String, String> headers, String body) {}

  /**
   * POST /login written by hand on a socket, so that the {@code Host} header is whatever the caller says (HTTP
   * clients set it from the URL, as browsers do: forging it takes a client of one's own, or a proxy).
   */
  static RawAnswer rawSignIn(int port, String host, String name, String password, String... headers)
      throws IOException {
    String body = "username=" + enc(name) + "&password=" + enc(password) + "&next=" + enc("/");
    StringBuilder request = new StringBuilder("POST /login HTTP/1.1\r\n")
        .append("Host: ").append(host).append("\r\n")
        .append("Content-Type: application/x-www-form-urlencoded\r\n")
        .append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
        .append("Connection: close\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    request.append("\r\n").append(body);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = answer.indexOf("\r\n\r\n");
      String[] lines = answer.substring(0, end).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> answerHeaders = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        answerHeaders.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
      return new RawAnswer(status, answerHeaders, answer.substring(end + 4));
    }
  }

  @Override
  public void close() throws Exception {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } finally {
      dynamo.close();
      sqs.close();
    }
  }
}
