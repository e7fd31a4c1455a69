package dev.sluice.loadtests.harness;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the load-tests' command-line programs ({@code ./sluice bench}, {@code ./sluice load}, the benchmarks) share:
 * reading their options with the same exit codes, and finding {@code load-tests/target/} for their reports.
 */
public final class Program {
  /** The exit code of a command line that asked for help. */
  public static final int EXIT_HELP = 0;
  /** The exit code of a command line that cannot be run. */
  public static final int EXIT_USAGE = 2;

  private Program() {}

  /**
   * The options {@code parse} reads from {@code args}; else this JVM ends: with {@link #EXIT_HELP} after printing
   * {@code usage} when the arguments ask for help, with {@link #EXIT_USAGE} after printing what is wrong with them
   * when {@code parse} refuses them with an {@link IllegalArgumentException}.
   */
  public static <T> T optionsOrExit(String[] args, Predicate<String[]> wantsHelp, String usage,
      Function<String[], T> parse) {
    if (wantsHelp.test(args)) {
      System.out.print(usage);
      return exit(EXIT_HELP);
    }
    return optionsOrExit(args, parse);
  }

  /** As {@link #optionsOrExit(String[], Predicate, String, Function)}, for a program that offers no help. */
  public static <T> T optionsOrExit(String[] args, Function<String[], T> parse) {
    try {
      return parse.apply(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return exit(EXIT_USAGE);
    }
  }

  private static <T> T exit(int status) {
    System.exit(status);
    // System.exit does not return; this only tells the compiler so.
    throw new IllegalStateException("System.exit(" + status + ") returned");
  }

  /**
   * {@code name} beside the classes directory {@code anchor} was loaded from, i.e. in {@code load-tests/target/};
   * empty when it was not loaded from a directory (e.g. from a jar), so the caller picks its own fallback.
   */
  public static Optional<Path> inTarget(Class<?> anchor, String name) {
    try {
      Path classes = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(classes) && classes.getParent() != null) {
        return Optional.of(classes.getParent().resolve(name));
      }
    } catch (URISyntaxException | SecurityException e) {
      // No usable location: the caller's fallback.
    }
    return Optional.empty();
  }
}
