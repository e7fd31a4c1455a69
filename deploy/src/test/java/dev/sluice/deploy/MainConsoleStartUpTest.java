package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./sluice console} refuses to start on a sign-in setting it cannot use, before it starts anything. */
class MainConsoleStartUpTest {
  @Test
  void aMalformedPublicOriginStopsTheConsoleFromStarting() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"console"}, Map.of("SLUICE_CONSOLE_PUBLIC_ORIGIN", "console.example.com/"),
        new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(Main.EXIT_USAGE, exit);
    String printed = err.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("sluice.console.public.origin"), printed);
  }
}
