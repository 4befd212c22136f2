package io.managedb.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Pings a healthchecks.io-style URL: {@code URL/start} when an operation begins, {@code URL} on success,
 * {@code URL/fail} on failure, each a POST with a short JSON body. A ping never fails the operation: a failed one is
 * one line for the operator, after at most the timeout. The URL is a secret (it holds the check's token), so only its
 * {@link #mask masked} form is ever shown.
 */
public final class Pings {
    /** Which ping. */
    public enum Kind {
        START, SUCCESS, FAIL;

        /** What goes at the end of the URL's path. */
        String suffix() {
            return switch (this) {
                case START -> "/start";
                case SUCCESS -> "";
                case FAIL -> "/fail";
            };
        }
    }

    /** Jackson, started with the first ping only (most runs have no ping URL). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final Duration timeout;
    private final Consumer<String> warn;
    private HttpClient client;

    /**
     * @param timeout the longest a ping may take, connecting and waiting for the response
     * @param warn    receives one line per failed ping
     */
    public Pings(Duration timeout, Consumer<String> warn) {
        this.timeout = timeout;
        this.warn = warn;
    }

    /** The HTTP client, built for the first ping (its TLS set-up costs more than a short command's work). */
    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return client;
    }

    /** Sends one ping and waits for it (at most the timeout); returns whether the endpoint answered 2xx. */
    public boolean ping(String url, Kind kind, Map<String, Object> body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(withSuffix(url, kind.suffix())).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "manage-db")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))).build();
            HttpResponse<Void> response = client().send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                warn.accept(line(url, "HTTP " + response.statusCode()));
                return false;
            }
            return true;
        } catch (HttpTimeoutException e) {
            warn.accept(line(url, "no answer within " + timeout.toMillis() / 1000.0 + " s"));
        } catch (ConnectException e) {
            warn.accept(line(url, "cannot connect" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")));
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            warn.accept(line(url, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            warn.accept(line(url, "interrupted"));
        }
        return false;
    }

    private static String line(String url, String reason) {
        return "manage-db: notify: " + mask(url) + ": " + reason.replace(url, mask(url));
    }

    /**
     * The URL for one kind of ping: the suffix goes at the end of the path, the query string is kept
     * ({@code https://hc.example/abc?rid=1} → {@code https://hc.example/abc/start?rid=1}).
     */
    static URI withSuffix(String url, String suffix) throws URISyntaxException {
        URI uri = new URI(url.strip());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + path + suffix
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    /** {@code scheme://host[:port]/***}: no user info, path or query, any of which may hold the token. */
    public static String mask(String url) {
        try {
            URI uri = new URI(url.strip());
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                        + "/***";
            }
        } catch (URISyntaxException e) {
            // fall through
        }
        return "***";
    }
}
