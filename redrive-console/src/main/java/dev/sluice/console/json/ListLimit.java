package dev.sluice.console.json;

import dev.sluice.console.problem.ConsoleError.BadParameter;
import dev.sluice.console.problem.ConsoleFailure;

/** The {@code limit} query parameter of a listing: how many entries, newest first, the answer may hold. */
public final class ListLimit {
  public static final String PARAMETER = "limit";

  private ListLimit() {}

  /** {@code text} as a whole number from 1 to {@code max}, or {@code defaultLimit} when absent; else a 400. */
  public static int parse(String text, int defaultLimit, int max) {
    if (text == null) {
      return defaultLimit;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ConsoleFailure(new BadParameter(PARAMETER, "must be a whole number from 1 to " + max));
  }
}
