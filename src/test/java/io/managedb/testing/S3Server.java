package io.managedb.testing;

import org.gaul.s3proxy.S3Proxy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The one S3 API server of a test run: gaul/s3proxy in-process on a free loopback port, with the filesystem backend
 * (a bucket is a directory under {@link #baseDir()}), started on first use like {@link TestServer}.
 */
public final class S3Server {
    public static final String ACCESS_KEY = "mdb-access";
    public static final String SECRET_KEY = "mdb-secret-Zq7vX2";

    private static S3Server instance;

    private final URI endpoint;
    private final Path baseDir;
    private final S3Client client;

    private S3Server(URI endpoint, Path baseDir) {
        this.endpoint = endpoint;
        this.baseDir = baseDir;
        this.client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY))).endpointOverride(endpoint).forcePathStyle(true).build();
    }

    public static synchronized S3Server get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static S3Server start() {
        try {
            Path base = Files.createTempDirectory("manage-db-s3-");
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Properties p = new Properties();
            p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
            p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            p.setProperty("s3proxy.identity", ACCESS_KEY);
            p.setProperty("s3proxy.credential", SECRET_KEY);
            p.setProperty("jclouds.provider", "filesystem-nio2");
            p.setProperty("jclouds.filesystem.basedir", base.toString());
            p.setProperty("jclouds.identity", ACCESS_KEY);
            p.setProperty("jclouds.credential", SECRET_KEY);
            // Main builds the blob store from the same properties its command line reads
            Method create = org.gaul.s3proxy.Main.class.getDeclaredMethod("createBlobStore", Properties.class);
            create.setAccessible(true);
            Object store = create.invoke(null, p);
            S3Proxy proxy = S3Proxy.Builder.fromProperties(p)
                    .blobStore((org.gaul.s3proxy.blobstore.BlobStore) store).build();
            proxy.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
                }
                Thread.sleep(10);
            }
            return new S3Server(URI.create("http://127.0.0.1:" + port), base);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException | InterruptedException e) {
            throw new IllegalStateException("cannot start s3proxy", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start s3proxy", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public Path baseDir() {
        return baseDir;
    }

    /** A client with the server's credentials, for setting up and inspecting buckets. */
    public S3Client client() {
        return client;
    }

    /** Creates a bucket (a fresh name per caller avoids sharing state between classes). */
    public String createBucket(String name) {
        client.createBucket(b -> b.bucket(name));
        return name;
    }

    /** Every key of a bucket, in order. */
    public List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).toList();
    }

    /** Multipart uploads of a bucket that were started and neither completed nor aborted. */
    public List<String> openUploads(String bucket) {
        return client.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads().stream().map(u -> u.key())
                .toList();
    }

    /** The settings manage-db needs to use this server (endpoint, region, credentials) with a location. */
    public Map<String, String> settings(String location) {
        return Map.of("MANAGE_DB_BACKUP_DIR", location, "MANAGE_DB_S3_ENDPOINT", endpoint.toString(),
                "MANAGE_DB_S3_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }
}
