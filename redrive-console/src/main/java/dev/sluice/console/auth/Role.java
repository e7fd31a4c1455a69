package dev.sluice.console.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a console user may do. Each role may do everything the one before it may:
 *
 * <table>
 *   <tr><th>Role</th><th>May</th></tr>
 *   <tr><td>viewer</td><td>read only; payload fields marked {@code "x-sensitive": true} in the type's schema are
 *       masked</td></tr>
 *   <tr><td>operator</td><td>also see sensitive fields in the clear, edit, redrive and discard, and run bulk jobs up
 *       to the configured size</td></tr>
 *   <tr><td>admin</td><td>also run bulk jobs over that size, and forget a data subject</td></tr>
 * </table>
 */
public enum Role {
  VIEWER, OPERATOR, ADMIN;

  /** What a request asks to do; {@link #may} says which roles may. */
  public enum Action {
    /** List, read details, groups, audit, jobs. */
    READ(VIEWER),
    /** See payload fields marked sensitive without the mask. */
    SEE_SENSITIVE(OPERATOR),
    /** Any state-changing request: edit, patch, redrive, discard, job control, small bulk jobs. */
    CHANGE(OPERATOR),
    /** A bulk job that matches more items than {@link AuthSettings#operatorBulkLimit()}. */
    LARGE_BULK_JOB(ADMIN),
    /**
     * Look up a data subject's key, and forget the subject: its key is deleted, so every value sealed for it reads as
     * erased everywhere, for good.
     */
    FORGET_SUBJECT(ADMIN);

    private final Role least;

    Action(Role least) {
      this.least = least;
    }

    /** The least role that may do this. */
    public Role least() {
      return least;
    }
  }

  public boolean may(Action action) {
    return compareTo(action.least()) >= 0;
  }

  /** The name as configured and shown: {@code viewer}, {@code operator}, {@code admin}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code text}, case-insensitively. */
  public static Optional<Role> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (Role r : values()) {
      if (r.name().equalsIgnoreCase(text.strip())) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
