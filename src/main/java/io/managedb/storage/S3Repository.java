package io.managedb.storage;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.files.Checksums;
import io.managedb.files.Trees;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A key prefix of an S3 bucket (AWS or any S3-compatible service). A single-file item is one object, streamed as a
 * multipart upload ({@link MultipartStream}) that becomes visible only when completed; a tree item (a directory
 * archive) is one object per file under {@code NAME/}. {@link #createOnce} is a conditional PUT
 * ({@code If-None-Match: *}) whose 412 is checked with a HEAD against the content's SHA-256, since a retried request
 * may find its own first attempt. Every error is translated by {@link S3Errors}: one line naming the bucket and
 * endpoint, never a key.
 */
final class S3Repository implements Repository {
    private static final String SHA256 = "sha256";

    private final S3Client s3;
    private final S3Location where;
    private final S3Errors errors;
    private final Path temporaryRoot;

    S3Repository(S3Client s3, S3Location where, S3Settings settings, Path temporaryRoot) {
        this.s3 = s3;
        this.where = where;
        this.errors = new S3Errors(where.bucket(), settings.shownEndpoint());
        this.temporaryRoot = temporaryRoot;
    }

    /** The repository at {@code s3://bucket/prefix}, with a client built from the settings. */
    static S3Repository open(S3Location where, S3Settings settings, Path temporaryRoot) {
        return new S3Repository(S3Clients.build(settings), where, settings, temporaryRoot);
    }

    @Override
    public Path temporaryDirectory(String prefix) throws IOException {
        return Trees.privateTemporaryDirectory(temporaryRoot, prefix);
    }

    private String key(String name) {
        return where.prefix() + name;
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw errors.translate(what, e);
        }
    }

    @Override
    public String location() {
        return where.toString();
    }

    @Override
    public String address(String name) {
        return location() + name;
    }

    @Override
    public Path localPath(String name) {
        return null;
    }

    @Override
    public List<Item> list() {
        List<Item> items = new ArrayList<>();
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(where.bucket()).prefix(where.prefix())
                .delimiter("/").build();
        call("list " + location(), () -> {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
                for (S3Object o : page.contents()) {
                    items.add(new Item(o.key().substring(where.prefix().length()), false, o.size(),
                            o.lastModified(), null));
                }
                for (CommonPrefix p : page.commonPrefixes()) {
                    String name = p.prefix().substring(where.prefix().length(), p.prefix().length() - 1);
                    items.add(new Item(name, true, 0, Instant.EPOCH, null));
                }
            }
            return null;
        });
        return items;
    }

    private HeadObjectResponse head(String name) {
        try {
            return call("read " + address(name), () -> s3.headObject(b -> b.bucket(where.bucket()).key(key(name))));
        } catch (io.managedb.core.ManageDbException e) {
            if (e.getCause() instanceof S3Exception s && s.statusCode() == 404
                    && !"NoSuchBucket".equals(S3Errors.code(s))) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public boolean exists(String name) {
        return head(name) != null || isTree(name);
    }

    @Override
    public InputStream open(String name) throws IOException {
        return get(name, null);
    }

    /** The object and its ETag; no version (null) for a weak or blank one, which If-Match could not name. */
    @Override
    public Opened openVersion(String name) throws IOException {
        ResponseInputStream<GetObjectResponse> in = get(name, null);
        String etag = in.response().eTag();
        return new Opened(in, etag == null || etag.isBlank() || etag.startsWith("W/") ? null : etag);
    }

    /** With {@code If-Match}: the store serves that version (its ETag) or refuses (412, exit 7). */
    @Override
    public InputStream open(String name, String version) throws IOException {
        return get(name, version);
    }

    /** One GET of an object: as it is now (null), or only as that version. */
    private ResponseInputStream<GetObjectResponse> get(String name, String version) throws IOException {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(where.bucket()).key(key(name))
                    .ifMatch(version));
            if (version != null && !version.equals(in.response().eTag())) { // a store that ignored If-Match
                in.abort();
                throw changed(name, version, null);
            }
            return in;
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(address(name));
        } catch (S3Exception e) {
            if (version != null && e.statusCode() == 412) {
                throw changed(name, version, e);
            }
            throw errors.translate("read " + address(name), e);
        } catch (SdkException e) {
            throw errors.translate("read " + address(name), e);
        }
    }

    private ManageDbException changed(String name, String version, Exception cause) {
        return new ManageDbException(ExitCode.CHECK_FAILED, address(name) + " has changed since it was checked (its"
                + " ETag is not " + version + ")", cause);
    }

    @Override
    public byte[] readSmall(String name) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(where.bucket()).key(key(name)));
            return bytes.asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (SdkException e) {
            throw errors.translate("read " + address(name), e);
        }
    }

    private List<S3Object> treeObjects(String name) {
        String prefix = key(name) + "/";
        List<S3Object> out = new ArrayList<>();
        call("list " + address(name) + "/", () -> {
            s3.listObjectsV2Paginator(b -> b.bucket(where.bucket()).prefix(prefix)).contents().forEach(out::add);
            return null;
        });
        return out;
    }

    @Override
    public long size(String name) throws IOException {
        HeadObjectResponse h = head(name);
        if (h != null) {
            return h.contentLength();
        }
        List<S3Object> tree = treeObjects(name);
        if (tree.isEmpty()) {
            throw new NoSuchFileException(address(name));
        }
        return tree.stream().mapToLong(S3Object::size).sum();
    }

    @Override
    public boolean isTree(String name) {
        String prefix = key(name) + "/";
        return call("list " + address(name) + "/", () -> s3.listObjectsV2(b -> b.bucket(where.bucket())
                .prefix(prefix).maxKeys(1)).hasContents());
    }

    @Override
    public Upload create(String name) {
        MultipartStream stream = new MultipartStream(s3, where.bucket(), key(name), errors);
        return new Upload() {
            @Override
            public OutputStream stream() {
                return stream;
            }

            private volatile boolean completed;
            private volatile boolean published;

            @Override
            public String finish() throws IOException {
                stream.complete();
                completed = true;
                return name;
            }

            @Override
            public void publish() {
                published = true;
            }

            /** Aborts the multipart upload, or deletes the object completed but not published. */
            @Override
            public void abort() {
                if (published) {
                    return;
                }
                stream.abort();
                if (completed) {
                    quietlyDelete(name);
                }
            }

            @Override
            public void close() {
                abort();
            }
        };
    }

    @Override
    public TreeUpload createTree(String name) throws IOException {
        Path staging = temporaryDirectory("manage-db-upload-");
        Path dir = staging.resolve(name);
        Files.createDirectory(dir);
        return new TreeUpload(dir) {
            /** One object per file, each streamed like a single-file item. */
            @Override
            protected void publish(Path directory) throws IOException {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(directory)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    try (Upload up = create(name + "/" + directory.relativize(f));
                         InputStream in = Files.newInputStream(f)) {
                        in.transferTo(up.stream());
                        up.finish();
                        up.publish();
                    }
                }
            }

            @Override
            protected void cleanUp(Path directory, boolean committed) {
                Trees.deleteRecursively(staging);
                if (!committed) {
                    quietlyDelete(name);
                }
            }
        };
    }

    @Override
    public void fetchTree(String name, Path into) throws IOException {
        String prefix = key(name) + "/";
        for (S3Object o : treeObjects(name)) {
            Path to = into.resolve(o.key().substring(prefix.length())).normalize();
            if (!to.startsWith(into)) {
                throw new IOException("object " + o.key() + " leaves its directory");
            }
            Files.createDirectories(to.getParent());
            try (InputStream in = open(name + "/" + o.key().substring(prefix.length()))) {
                Files.copy(in, to);
            }
        }
    }

    @Override
    public boolean createOnce(String name, byte[] content) {
        String sha = HexFormat.of().formatHex(Checksums.sha256().digest(content));
        try {
            put(name, content, sha, true);
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 501 || "NotImplemented".equals(S3Errors.code(e))) {
                // no conditional writes here: the name was checked to be free, and we hold the database's lock
                HeadObjectResponse h = head(name);
                if (h != null) {
                    return sha.equals(h.metadata().get(SHA256));
                }
                call("write " + address(name), () -> put(name, content, sha, false));
                return true;
            }
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw errors.translate("write " + address(name), e);
            }
        } catch (SdkException e) {
            throw errors.translate("write " + address(name), e);
        }
        // 412: something holds the name; it is ours if a retried request's first attempt landed
        HeadObjectResponse h = head(name);
        return h != null && sha.equals(h.metadata().get(SHA256));
    }

    private Object put(String name, byte[] content, String sha, boolean onlyIfAbsent) {
        return s3.putObject(b -> {
            b.bucket(where.bucket()).key(key(name)).metadata(Map.of(SHA256, sha));
            if (onlyIfAbsent) {
                b.ifNoneMatch("*");
            }
        }, RequestBody.fromBytes(content));
    }

    @Override
    public void delete(String name) {
        call("delete " + address(name), () -> s3.deleteObject(b -> b.bucket(where.bucket()).key(key(name))));
        List<ObjectIdentifier> tree = treeObjects(name).stream()
                .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
        for (int i = 0; i < tree.size(); i += 1000) {
            List<ObjectIdentifier> batch = tree.subList(i, Math.min(tree.size(), i + 1000));
            call("delete " + address(name) + "/", () -> s3.deleteObjects(b -> b.bucket(where.bucket())
                    .delete(Delete.builder().objects(batch).quiet(true).build())));
        }
    }

    /** Best effort while something else failed (or the JVM stops): the next run's cleanup removes what is left. */
    private void quietlyDelete(String name) {
        try {
            delete(name);
        } catch (RuntimeException e) {
            // reported by nobody: the failure that got us here is the one to report
        }
    }

    @Override
    public void removeStale(Predicate<String> mine, String markerSuffix) {
        List<MultipartUpload> uploads = new ArrayList<>();
        call("list the uploads of " + location(), () -> {
            s3.listMultipartUploadsPaginator(b -> b.bucket(where.bucket()).prefix(where.prefix())).uploads()
                    .forEach(uploads::add);
            return null;
        });
        for (MultipartUpload u : uploads) {
            String name = u.key().substring(where.prefix().length());
            int slash = name.indexOf('/');
            if (mine.test(slash < 0 ? name : name.substring(0, slash))) {
                call("abort the upload of " + address(name), () -> s3.abortMultipartUpload(b -> b
                        .bucket(where.bucket()).key(u.key()).uploadId(u.uploadId())));
            }
        }
        List<Item> items = list();
        java.util.Set<String> names = new java.util.HashSet<>();
        items.forEach(i -> names.add(i.name()));
        for (Item item : items) {
            String n = item.name();
            if (mine.test(n) && !n.endsWith(markerSuffix) && !names.contains(n + markerSuffix)) {
                delete(n);
            }
        }
    }
}
