package dev.sluice.deploy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Reads the gateway image that {@code mvn verify} builds with Jib to {@code target/jib/ci-sluice-gateway.tar} (package
 * phase, empty base image because CI reaches no registry) and checks what a container runtime would rely on: the
 * manifest and config, each layer's digest, and that the layers hold the launcher and every runtime jar its classpath
 * names. It cannot run the image: there is no Docker daemon here, and this CI image has no JRE (see the pom).
 */
class ImageTarballIT {
  private static final Path TARBALL = Path.of("target/jib/ci-sluice-gateway.tar");

  @Test
  void gatewayImageIsComplete() throws Exception {
    assertTrue(Files.isRegularFile(TARBALL), TARBALL + " is built by the jib execution ci-gateway-image");
    Map<String, byte[]> entries = untar(Files.newInputStream(TARBALL));

    JsonArray manifest = new JsonArray(new String(entries.get("manifest.json"), StandardCharsets.UTF_8));
    assertEquals(1, manifest.size());
    JsonObject image = manifest.getJsonObject(0);
    assertTrue(image.getJsonArray("RepoTags").getString(0).contains("/sluice-gateway:"), image.encode());

    JsonObject config = new JsonObject(new String(entries.get(image.getString("Config")), StandardCharsets.UTF_8));
    JsonObject c = config.getJsonObject("config");
    List<Object> entrypoint = c.getJsonArray("Entrypoint").getList();
    assertEquals("java", entrypoint.get(0));
    assertEquals("dev.sluice.deploy.Main", entrypoint.get(entrypoint.size() - 1));
    assertEquals(List.of("gateway"), c.getJsonArray("Cmd").getList(), "the same jar, started as the gateway");
    assertTrue(c.getJsonObject("ExposedPorts").containsKey("8080/tcp"), c.encode());
    assertFalse(c.getString("User", "").isEmpty() || c.getString("User").equals("0"), "runs as a non-root user");
    assertTrue(c.getJsonArray("Env").contains("SLUICE_GATEWAY_HOST=0.0.0.0"), "listens beyond the loopback");

    // Each layer is named by the digest of its compressed bytes; the config lists the digests of the uncompressed
    // ones, in order. Both must hold or a registry or runtime refuses the image.
    JsonArray layers = image.getJsonArray("Layers");
    JsonArray diffIds = config.getJsonObject("rootfs").getJsonArray("diff_ids");
    assertEquals(layers.size(), diffIds.size());
    Set<String> files = new HashSet<>();
    Map<String, byte[]> small = new HashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      byte[] compressed = entries.get(layers.getString(i));
      assertEquals(layers.getString(i), sha256(compressed) + ".tar.gz");
      MessageDigest diff = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(new GZIPInputStream(new ByteArrayInputStream(compressed)), diff)) {
        Map<String, byte[]> layer = untar(in);
        in.transferTo(java.io.OutputStream.nullOutputStream());
        files.addAll(layer.keySet());
        layer.forEach((name, bytes) -> {
          if (bytes.length < 64 * 1024) {
            small.put(name, bytes);
          }
        });
      }
      assertEquals(diffIds.getString(i), "sha256:" + HexFormat.of().formatHex(diff.digest()), "diff id of layer " + i);
    }

    assertTrue(files.contains("app/classes/dev/sluice/deploy/Main.class"), "the launcher");
    assertTrue(files.contains("app/resources/log4j2.xml"), "its logging config");
    String classpath = new String(small.get("app/jib-classpath-file"), StandardCharsets.UTF_8).strip();
    for (String element : classpath.split(":")) {
      if (element.endsWith(".jar")) {
        assertTrue(files.contains(element.substring(1)), element + " is on the classpath but not in the image");
      }
    }
    // Every runtime dependency the thin launcher jar uses (target/lib) is in the image too.
    try (Stream<Path> libs = Files.list(Path.of("target/lib"))) {
      for (Path lib : libs.toList()) {
        String name = lib.getFileName().toString();
        assertTrue(files.contains("app/libs/" + name), name + " is missing from the image");
      }
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** A minimal ustar/PAX reader: regular files by name (PAX and other metadata entries skipped). */
  private static Map<String, byte[]> untar(InputStream raw) throws IOException {
    Map<String, byte[]> out = new HashMap<>();
    InputStream in = raw;
    byte[] header = new byte[512];
    while (in.readNBytes(header, 0, 512) == 512) {
      if (header[0] == 0) {
        break; // end-of-archive block
      }
      String name = field(header, 0, 100);
      String prefix = field(header, 345, 155);
      long size = Long.parseLong(field(header, 124, 12).trim(), 8);
      char type = (char) header[156];
      byte[] data = in.readNBytes((int) size);
      long pad = (512 - size % 512) % 512;
      in.readNBytes((int) pad);
      if (type == '0' || type == '\0') {
        out.put(prefix.isEmpty() ? name : prefix + "/" + name, data);
      }
    }
    return out;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }
}
