package dev.sluice.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.config.ClientTimeouts;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A tiny server (read the body, answer 200) behind the guard, with short timeouts, driven by raw sockets so that the
 * client can be exactly as slow as a slowloris. Waits are hang guards ({@link #GIVE_UP}), not speed checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientGuardTest {
  private static final ClientTimeouts TIMEOUTS =
      new ClientTimeouts(Duration.ofMillis(500), Duration.ofMillis(800), Duration.ofMillis(700));
  /** Far longer than any of the timeouts: reaching it means the guard did not cut. */
  private static final int GIVE_UP = 15_000;

  private Vertx vertx;
  private int port;

  /** The server runs in a verticle so that the guard's callbacks and sweep share its event loop, as in the gateway. */
  private static final class TinyServer extends VerticleBase {
    HttpServer server;

    @Override
    public Future<?> start() {
      SlowClientGuard guard = new SlowClientGuard(vertx, TIMEOUTS, Clock.systemUTC());
      return guard.createServer(new HttpServerOptions(), req -> req.body()
              .onSuccess(b -> req.response().putHeader("Content-Type", "text/plain").end("got " + b.length())))
          .listen(0, "127.0.0.1")
          .onSuccess(s -> server = s);
    }
  }

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    TinyServer tiny = new TinyServer();
    vertx.deployVerticle(tiny).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    port = tiny.server.actualPort();
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(GIVE_UP);
    return s;
  }

  private static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /**
   * Reads until the server closes the connection; fails if it is still open after {@link #GIVE_UP}. A reset counts as
   * closed (the server may close with unread bytes of ours in its buffer).
   */
  private static String readUntilClosed(Socket s) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open for " + GIVE_UP + " ms; read so far: "
          + got.toString(StandardCharsets.US_ASCII), e);
    } catch (SocketException e) {
      // Connection reset: closed.
    }
    return got.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void aConnectionThatSendsNothingIsClosed() throws IOException {
    try (Socket s = connect()) {
      assertEquals("", readUntilClosed(s));
    }
  }

  @Test
  void aHeadTrickledByteByByteIsCutOffAlthoughBytesKeepComing() throws Exception {
    String head = "POST /slow HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(200) + "\r\n";
    try (Socket s = connect()) {
      // One byte every 20 ms: the head would take over 4 s, far beyond the 500 ms head timeout, while the
      // connection never stays silent long enough for an idle timeout.
      long deadline = System.currentTimeMillis() + GIVE_UP;
      boolean cut = false;
      for (int i = 0; i < head.length() && System.currentTimeMillis() < deadline; i++) {
        try {
          write(s, head.substring(i, i + 1));
        } catch (IOException e) {
          cut = true;
          break;
        }
        Thread.sleep(20);
      }
      if (!cut) {
        assertEquals("", readUntilClosed(s));
      }
    }
  }

  @Test
  void aBodyThatStopsHalfWayGets408ProblemAndTheConnectionIsClosed() throws IOException {
    try (Socket s = connect()) {
      write(s, "POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"half\":");
      String answer = readUntilClosed(s);
      assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
      assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
      assertTrue(answer.contains("\"status\":408"), answer);
    }
  }

  @Test
  void aPromptRequestIsServedAndTheKeptAliveConnectionIsClosedWhenIdle() throws IOException {
    try (Socket s = connect()) {
      write(s, "POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}");
      String answer = readUntilClosed(s);
      assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
      assertTrue(answer.endsWith("got 2"), answer);
    }
  }

  @Test
  void requestsOnAKeptAliveConnectionAreServedWhileTheyComeInTime() throws Exception {
    try (Socket s = connect()) {
      // Three requests, each 300 ms after the previous answer: within the 700 ms keep-alive idle timeout, and
      // together longer than the head timeout (which only applies before the first request).
      InputStream in = s.getInputStream();
      for (int i = 0; i < 3; i++) {
        write(s, "POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}");
        String answer = readResponse(in);
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        Thread.sleep(300);
      }
    }
  }

  /** Reads one small response (headers and a 5-byte "got 2" body). */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (!got.toString(StandardCharsets.US_ASCII).endsWith("got 2")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed early: " + got.toString(StandardCharsets.US_ASCII));
      }
      got.write(b);
    }
    return got.toString(StandardCharsets.US_ASCII);
  }
}
