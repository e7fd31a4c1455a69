package dev.sluice.console.auth;

/**
 * The sign-in form, rendered on the server so that it needs no script to work. Every value put into the HTML is
 * escaped; there is no inline script or style (the Content-Security-Policy forbids both).
 */
public final class LoginPage {
  private LoginPage() {}

  /**
   * @param next where to go after signing in (already checked to be a local path)
   * @param error the message to show, or null
   */
  public static String render(String next, String error) {
    StringBuilder html = new StringBuilder(1600);
    html.append("""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Sluice · Sign in</title>
          <link rel="stylesheet" href="/app.css">
          <script src="/login.js" defer></script>
        </head>
        <body class="login">
        <main class="login-box">
          <h1>Sluice <span>redrive console</span></h1>
        """);
    if (error != null) {
      html.append("  <p class=\"login-error\" role=\"alert\" data-testid=\"login-error\">")
          .append(escape(error)).append("</p>\n");
    }
    html.append("  <form method=\"post\" action=\"/login\" data-testid=\"login-form\">\n")
        .append("    <input type=\"hidden\" name=\"next\" value=\"").append(escape(next)).append("\">\n")
        .append("""
                <label>User name
                  <input name="username" data-testid="login-username" autocomplete="username" required autofocus
                         maxlength="64">
                </label>
                <label>Password
                  <input name="password" type="password" data-testid="login-password" autocomplete="current-password"
                         required maxlength="1024">
                </label>
                <button type="submit" data-testid="login-submit">Sign in</button>
              </form>
            </main>
            </body>
            </html>
            """);
    return html.toString();
  }

  /** Text for an HTML text node or a quoted attribute value. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
