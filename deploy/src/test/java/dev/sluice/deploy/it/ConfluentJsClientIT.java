package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.gateway.confluent.ConfluentRoutes;
import dev.sluice.schemas.registry.SchemaFingerprint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Confluent-compatible registry API proven with Confluent's own JavaScript client,
 * {@code @confluentinc/schemaregistry} (pinned in {@code src/test/node/confluent-client/package.json}, its lockfile
 * beside it): {@code roundtrip.js} registers and looks up a JSON schema, serializes an object with the client's
 * {@code JsonSerializer} and reads it back with its {@code JsonDeserializer}, sees an incompatible change refused
 * (409), and evolves the schema. The script asserts each step and prints a summary, which this test checks against
 * the registry itself.
 *
 * <p>It needs {@code node} on the PATH (Debian's {@code nodejs}) and the package installed ({@code npm ci} in that
 * folder); {@code .ci/run} does both. Without them the test fails saying so, rather than skipping: a skipped proof
 * would pass unseen.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class ConfluentJsClientIT {
  private static final Path PROJECT = Path.of("src", "test", "node", "confluent-client");
  private static final Path PACKAGE = PROJECT.resolve(Path.of("node_modules", "@confluentinc", "schemaregistry"));
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void confluentsJavaScriptClientRegistersLooksUpSerializesDeserializesAndIsRefusedAnIncompatibleChange(Stack stack)
      throws Exception {
    String node = node();
    assertTrue(Files.isDirectory(PACKAGE), "Confluent's client is not installed in " + PROJECT.toAbsolutePath()
        + ": run `npm ci --prefix deploy/src/test/node/confluent-client` (.ci/run does)");
    String pinned = new JsonObject(Files.readString(PROJECT.resolve("package.json")))
        .getJsonObject("dependencies").getString("@confluentinc/schemaregistry");
    String installed = new JsonObject(Files.readString(PACKAGE.resolve("package.json"))).getString("version");
    assertEquals(pinned, installed, "node_modules is stale: run `npm ci` in " + PROJECT);

    Run run = run(List.of(node, "roundtrip.js", stack.gatewayUrl()));
    assertEquals(0, run.exit(), run.toString());
    List<String> lines = run.stdout().lines().filter(l -> !l.isBlank()).toList();
    assertTrue(!lines.isEmpty(), run.toString());
    JsonObject summary = new JsonObject(lines.get(lines.size() - 1));
    assertEquals(true, summary.getBoolean("ok"), run.toString());
    assertEquals("@confluentinc/schemaregistry@" + pinned, summary.getString("client"));
    assertEquals(stack.gatewayUrl() + ConfluentRoutes.PREFIX, summary.getString("registry"));
    assertEquals(new JsonObject().put("status", 409).put("errorCode", 409), summary.getJsonObject("incompatible"));
    assertEquals(new JsonArray().add(1).add(2), summary.getJsonArray("versions"));

    // What the client did is in the registry itself: the type has the two versions, and the id the serializer wrote
    // into the record names the first.
    String type = summary.getString("subject");
    int id = summary.getInteger("id");
    Http admin = Http.withKey(Http.DEV_ADMIN);
    Http.Response byId = admin.get(stack.gatewayUrl() + ConfluentRoutes.PREFIX + "/schemas/ids/" + id);
    assertEquals(200, byId.status(), byId.body());
    Http.Response v1 = admin.get(stack.gatewayUrl() + "/v1/schemas/" + type + "/versions/1");
    assertEquals(200, v1.status(), v1.body());
    assertEquals(SchemaFingerprint.of(byId.json().getString("schema")), v1.json().getString("fingerprint"));
    Http.Response topic = admin.get(stack.gatewayUrl() + ConfluentRoutes.PREFIX + "/subjects/"
        + summary.getString("topic") + "-value/versions/latest");
    assertEquals(200, topic.status(), topic.body());
    assertEquals(2, topic.json().getInteger("version"));
  }

  /** {@code node} if it runs; otherwise the test fails, naming what to install. */
  private static String node() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "node --version: " + version);
      return "node";
    } catch (IOException notInstalled) {
      throw new AssertionError("node is not on the PATH: install Debian's `nodejs` and `npm` packages, then run "
          + "`npm ci --prefix deploy/src/test/node/confluent-client` (.ci/run does both)", notInstalled);
    }
  }

  private record Run(int exit, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  /**
   * Runs the script in its folder with the dev keys, its output in files under {@code target/} (so that neither pipe
   * can fill and stall it); killed, and failed, after {@link #TIMEOUT}.
   */
  private static Run run(List<String> command) throws IOException, InterruptedException {
    Path out = Path.of("target", "confluent-client");
    Files.createDirectories(out);
    Path stdout = out.resolve("stdout.txt");
    Path stderr = out.resolve("stderr.txt");
    ProcessBuilder b = new ProcessBuilder(command).directory(PROJECT.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    b.environment().put("SLUICE_ADMIN_KEY", Http.DEV_ADMIN);
    b.environment().put("SLUICE_READ_KEY", Http.DEV_PRODUCER);
    Process p = b.start();
    if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("roundtrip.js did not end within " + TIMEOUT + "; stdout:\n" + Files.readString(stdout)
          + "\nstderr:\n" + Files.readString(stderr));
    }
    return new Run(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
  }
}
