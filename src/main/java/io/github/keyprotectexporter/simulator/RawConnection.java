package io.github.keyprotectexporter.simulator;

import io.javalin.http.Context;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.FutureCallback;

/**
 * The TCP connection under a request, for faults that Jetty's HTTP layer cannot produce: raw bytes
 * that bypass the response encoder, a normal close and a close with a TCP reset.
 *
 * <p>After any of these the handler must return without setting a response. Jetty then fails to
 * write its own response on the closed connection. With Jetty 12.1.12 that logs nothing at WARN
 * or above, as the simulator logs of soak runs show.
 */
final class RawConnection {

  /** Bounds a write to the loopback client, which reads promptly unless it has gone. */
  private static final long WRITE_TIMEOUT_SECONDS = 10;

  private final EndPoint endPoint;

  private RawConnection(EndPoint endPoint) {
    this.endPoint = endPoint;
  }

  /** Returns the connection that carries the request of {@code ctx}. */
  static RawConnection of(Context ctx) {
    ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
    return new RawConnection(request.getConnectionMetaData().getConnection().getEndPoint());
  }

  /** Writes {@code bytes} to the socket as they are and waits until they are sent. */
  void write(byte[] bytes) throws IOException {
    FutureCallback written = new FutureCallback();
    endPoint.write(written, ByteBuffer.wrap(bytes));
    try {
      written.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException("Raw write to " + endPoint.getRemoteSocketAddress() + " failed", e);
    } catch (TimeoutException e) {
      throw new IOException("Raw write to " + endPoint.getRemoteSocketAddress() + " timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Raw write interrupted because the simulator is stopping", e);
    }
  }

  /** Closes the connection with a FIN, after any bytes written before. */
  void close() {
    endPoint.close();
  }

  /**
   * Closes the connection with a TCP reset. A zero linger time makes the kernel send RST instead
   * of FIN and drop unsent data.
   */
  void reset() throws IOException {
    if (endPoint.getTransport() instanceof NetworkChannel channel) {
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    }
    endPoint.close();
  }
}
