package io.managedb.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/** A real HTTP server on loopback that records the pings it gets; paths matching {@code hang} answer late. */
public final class PingServer implements AutoCloseable {
    /** One request: method, path with query, body. */
    public record Ping(String method, String uri, String body) {
    }

    private final HttpServer server;
    private final List<Ping> pings = new ArrayList<>();

    public PingServer(Predicate<String> hang, long hangMillis) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ping-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String uri = exchange.getRequestURI().toString();
            synchronized (pings) {
                pings.add(new Ping(exchange.getRequestMethod(), uri, body));
            }
            if (hang.test(uri)) {
                try {
                    Thread.sleep(hangMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] ok = "OK".getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            } catch (IOException clientGone) {
                // the client gave up (its timeout)
            }
            exchange.close();
        });
        server.start();
    }

    public PingServer() throws IOException {
        this(uri -> false, 0);
    }

    /** The base URL of a check, e.g. {@code http://127.0.0.1:PORT/ping/TOKEN}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Ping> pings() {
        synchronized (pings) {
            return List.copyOf(pings);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
