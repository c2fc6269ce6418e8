package io.github.keyprotectexporter.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Serves {@code POST /-/reload}: 200 once the configuration is reloaded, 500 with every error when
 * the reload failed and the previous configuration keeps running.
 */
final class ReloadEndpoint implements Handler {

  private final ConfigReloader reloader;

  ReloadEndpoint(ConfigReloader reloader) {
    this.reloader = reloader;
  }

  @Override
  public void handle(Context ctx) {
    ConfigReloader.Result result = reloader.reload();
    ctx.contentType(WebServer.TEXT);
    if (result.successful()) {
      ctx.status(200);
      ctx.result("Configuration reloaded\n");
      return;
    }
    StringBuilder body = new StringBuilder(
        "Reload failed, the previous configuration keeps running:\n");
    for (String error : result.errors()) {
      body.append("  ").append(error).append('\n');
    }
    ctx.status(500);
    ctx.result(body.toString());
  }
}
