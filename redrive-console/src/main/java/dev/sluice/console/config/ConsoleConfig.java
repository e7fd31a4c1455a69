package dev.sluice.console.config;

import dev.sluice.console.auth.AuthSettings;
import dev.sluice.console.jobs.JobSettings;
import java.util.Objects;

/**
 * Where the redrive console listens, and who may use it.
 *
 * @param host the interface to bind, e.g. {@code 127.0.0.1}
 * @param port the TCP port; {@code 0} picks a free port (see {@code ConsoleVerticle.actualPort()})
 * @param auth users, tokens and sessions ({@code sluice.console.users.*}, {@code sluice.console.session.*}, ...)
 * @param auditTable the DynamoDB table of operator actions ({@code sluice.console.audit.table})
 * @param jobs bulk redrive jobs ({@code sluice.console.jobs.*})
 */
public record ConsoleConfig(String host, int port, AuthSettings auth, String auditTable, JobSettings jobs) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8081;
  public static final String DEFAULT_AUDIT_TABLE = "sluice-console-audit";

  public ConsoleConfig(String host, int port, AuthSettings auth) {
    this(host, port, auth, DEFAULT_AUDIT_TABLE);
  }

  public ConsoleConfig(String host, int port, AuthSettings auth, String auditTable) {
    this(host, port, auth, auditTable, JobSettings.defaults());
  }

  public ConsoleConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("sluice.console.host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("sluice.console.port must be between 0 and 65535, was " + port);
    }
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(jobs, "jobs");
    host = host.strip();
    if (auditTable == null || !auditTable.matches("[A-Za-z0-9_.-]{3,255}")) {
      throw new IllegalArgumentException(
          "sluice.console.audit.table must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -), was " + auditTable);
    }
  }

  /** Nobody may sign in ({@link AuthSettings#none()}): credentials must be configured explicitly. */
  public ConsoleConfig(String host, int port) {
    this(host, port, AuthSettings.none(), DEFAULT_AUDIT_TABLE);
  }

  public static ConsoleConfig defaults() {
    return new ConsoleConfig(DEFAULT_HOST, DEFAULT_PORT);
  }

  public ConsoleConfig withAuth(AuthSettings auth) {
    return new ConsoleConfig(host, port, auth, auditTable, jobs);
  }

  public ConsoleConfig withJobs(JobSettings j) {
    return new ConsoleConfig(host, port, auth, auditTable, j);
  }
}
