package io.github.keyprotectexporter.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler for requests that fail before they reach a route, such as a malformed
 * URI. It writes plain text unless the client asks for HTML or JSON, and adds {@code
 * X-Content-Type-Options: nosniff} as the routes do.
 */
final class JettyErrorHandler extends ErrorHandler {

  JettyErrorHandler() {
    setDefaultResponseMimeType("text/plain");
    setShowStacks(false);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    response.getHeaders().put(WebServer.NOSNIFF_HEADER, WebServer.NOSNIFF);
    super.generateResponse(request, response, code, message, cause, callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(WebServer.NOSNIFF_HEADER, WebServer.NOSNIFF);
    return super.badMessageError(status, reason, fields);
  }
}
