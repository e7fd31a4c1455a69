package dev.sluice.deploy.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./sluice forget STREAM SUBJECT --yes}: forgets a data subject through the console's API
 * ({@code POST /api/v1/subjects/{stream}/{subject}/forget}, admin only), and {@code --status} only shows what the key
 * table holds for it. Forgetting cannot be undone, so without {@code --yes} nothing is sent. The token is
 * {@value ConsoleCall#TOKEN_ENV}'s, or the dev admin's, which only {@code ./sluice dev} accepts.
 *
 * <p>Exit status: {@value ConsoleCall#OK} done, {@value ConsoleCall#REFUSED} refused by the console (its problem's
 * title and detail are printed) or the console could not be reached, {@value #USAGE} a usage error.
 */
public final class ForgetCli {
  public static final int USAGE = 2;
  /** The dev admin's token: only an admin may forget (docs/operators.md). */
  static final String DEV_TOKEN = "dev-admin";

  public static final String ARGUMENTS = "STREAM SUBJECT --yes|--status [--console URL]";

  /** What {@code ./sluice forget --help} says after its usage line. */
  public static final String DETAILS = """
      Forgets the data subject SUBJECT of stream STREAM: its key is deleted, so every value sealed for it (on the
      live stream, in replays of any age, in quarantine items) reads as erased from now on, for every consumer, and
      nothing can recover it. Its unmarked values and every other subject are untouched. This cannot be undone:
      without --yes nothing is sent. Audited; needs the admin role.
      --status only shows whether the subject has a key (ACTIVE), was forgotten (FORGOTTEN) or was never seen
      (UNKNOWN).

      Options:
        --console URL   the console (default http://127.0.0.1:8081); the token is $SLUICE_CONSOLE_TOKEN
        --yes           forget, for good
        --status        show the subject's state instead
        -h, --help      this text

      Exit status: 0 done, 1 refused by the console (its problem's title and detail are printed) or the console
      could not be reached, 2 a usage error.
      """;

  static final String USAGE_TEXT = "Usage: ./sluice forget " + ARGUMENTS + "\n\n" + DETAILS;

  private final PrintStream out;
  private final PrintStream err;
  private final ConsoleCall console;

  private ForgetCli(Map<String, String> env, PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
    this.console = new ConsoleCall(env, err, DEV_TOKEN);
  }

  /** Runs {@code ./sluice forget <args>}; answers the exit status. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return new ForgetCli(env, out, err).run(args);
  }

  /** What was asked: the subject, whether to forget or only look, and where the console is. */
  record Request(String stream, String subject, boolean forget, boolean status, boolean help, String console) {
    static Request parse(String[] args) {
      List<String> positional = new ArrayList<>();
      boolean yes = false;
      boolean status = false;
      boolean help = false;
      String console = ConsoleCall.DEFAULT_CONSOLE;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "-h", "--help" -> help = true;
          case "--yes" -> yes = true;
          case "--status" -> status = true;
          case "--console" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("--console needs a value");
            }
            console = args[++i];
          }
          default -> {
            if (arg.startsWith("--console=")) {
              console = arg.substring("--console=".length());
            } else if (arg.startsWith("-")) {
              throw new IllegalArgumentException("Unknown option: " + arg);
            } else {
              positional.add(arg);
            }
          }
        }
      }
      if (help) {
        return new Request("", "", false, false, true, console);
      }
      if (positional.size() != 2) {
        throw new IllegalArgumentException("forget needs a STREAM and a SUBJECT");
      }
      if (yes == status) {
        throw new IllegalArgumentException(yes ? "--yes and --status do not go together"
            : "forgetting cannot be undone: add --yes to forget, or --status to only look");
      }
      return new Request(positional.get(0), positional.get(1), yes, status, false, ConsoleCall.console(console));
    }

    URI uri(String suffix) {
      return URI.create(console + "/api/v1/subjects/" + encode(stream) + "/" + encode(subject) + suffix);
    }

    private static String encode(String part) {
      return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
  }

  private int run(String[] args) {
    Request request;
    try {
      request = Request.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(USAGE_TEXT);
      return USAGE;
    }
    if (request.help()) {
      out.print(USAGE_TEXT);
      return ConsoleCall.OK;
    }
    if (request.status()) {
      return console.send(request.console(), HttpRequest.newBuilder(request.uri("")).GET(), this::print);
    }
    return console.send(request.console(),
        HttpRequest.newBuilder(request.uri("/forget")).POST(HttpRequest.BodyPublishers.noBody()), this::print);
  }

  /** The subject's state in a line or two. */
  private void print(JsonObject s) {
    out.println(s.getString("stream") + " / " + s.getString("subject") + ": " + s.getString("state")
        + (s.containsKey("forgottenAt") ? " since " + s.getString("forgottenAt") : "")
        + (s.containsKey("forgottenBy") ? " by " + s.getString("forgottenBy") : ""));
    if (s.containsKey("auditId")) {
      out.println("  audit entry " + s.getString("auditId")
          + (s.getBoolean("alreadyForgotten", false) ? " (it was forgotten already: nothing changed)" : ""));
    }
  }
}
