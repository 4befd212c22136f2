package io.managedb.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * A loopback TCP relay in front of a server that passes at most a given number of bytes per second towards it, so
 * that an upload is slow enough for a test to stop it mid-way. Closed with the test run (daemon threads).
 */
public final class ThrottledProxy implements AutoCloseable {
    private final ServerSocket server;
    private final URI target;
    private final int bytesPerSecond;

    public ThrottledProxy(URI target, int bytesPerSecond) throws IOException {
        this.target = target;
        this.bytesPerSecond = bytesPerSecond;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getHost(), target.getPort());
                daemon(() -> relay(client, upstream, bytesPerSecond));
                daemon(() -> relay(upstream, client, Integer.MAX_VALUE));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void relay(Socket from, Socket to, int rate) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
                if (rate != Integer.MAX_VALUE) {
                    Thread.sleep(Math.max(1, 1000L * n / rate));
                }
            }
        } catch (IOException | InterruptedException e) {
            // one side closed: close both below
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "throttled-proxy");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
