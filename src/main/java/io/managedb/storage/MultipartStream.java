package io.managedb.storage;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Uploads what is written to it as one object while it is written: parts of {@link #PART} bytes go up on two
 * threads as the next fills, so memory stays at three parts whatever the size. A stream shorter than one part is a
 * single PUT. Nothing is visible until {@link #complete()}; {@link #abort()} (also from a shutdown hook) aborts the
 * multipart upload, and an upload left behind by a killed JVM is aborted by the next run's cleanup.
 */
final class MultipartStream extends OutputStream {
    /**
     * 8 MiB: 10,000 parts (S3's limit) hold 80 GB; parts four times larger after 5,000 hold 200 GB. The system
     * property {@code manage-db.s3.part-size} (at least 5 MiB, S3's minimum) lets tests interrupt an upload cheaply.
     */
    static final int PART = Math.max(5 << 20, Integer.getInteger("manage-db.s3.part-size", 8 << 20));
    private static final int IN_FLIGHT = 2;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final S3Errors errors;
    private final List<CompletedPart> parts = new ArrayList<>();
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    /** Part buffers handed back by the uploaders, reused: memory stays at IN_FLIGHT + 1 parts. */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> spare =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private ExecutorService uploaders;
    private volatile String uploadId;
    private volatile RuntimeException failure;
    private volatile boolean finished;
    private byte[] buffer = new byte[1 << 16];
    private int filled;
    private int partNumber;

    MultipartStream(S3Client s3, String bucket, String key, S3Errors errors) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.errors = errors;
    }

    private int partSize() {
        return partNumber < 5000 ? PART : 4 * PART;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        check();
        while (len > 0) {
            if (filled == buffer.length) {
                if (buffer.length < partSize()) {
                    buffer = java.util.Arrays.copyOf(buffer, Math.min(partSize(), buffer.length * 4));
                } else {
                    sendPart();
                }
            }
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    private void check() throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        if (finished) {
            throw new IOException("the upload of " + key + " was aborted");
        }
    }

    /** Hands the full buffer to an uploader thread, waiting while two parts are in flight. */
    private void sendPart() throws IOException {
        if (uploadId == null) {
            uploadId = call(() -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId());
            uploaders = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
                Thread t = new Thread(r, "s3-upload");
                t.setDaemon(true);
                return t;
            });
        }
        byte[] part = buffer;
        int length = filled;
        int number = ++partNumber;
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while uploading " + key);
        }
        byte[] reused = spare.poll();
        buffer = reused != null && reused.length == partSize() ? reused : new byte[partSize()];
        filled = 0;
        uploaders.execute(() -> {
            try {
                String etag = call(() -> s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength((long) length), RequestBody.fromContentProvider(
                        () -> new ByteArrayInputStream(part, 0, length), length, "application/octet-stream")).eTag());
                synchronized (parts) {
                    parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            } finally {
                spare.add(part);
                slots.release();
            }
        });
        check();
    }

    /** Sends what is left and completes the upload: the object appears under its key. */
    void complete() throws IOException {
        check();
        if (uploadId == null) {
            byte[] all = buffer;
            int length = filled;
            call(() -> s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromContentProvider(
                    () -> new ByteArrayInputStream(all, 0, length), length, "application/octet-stream")));
            finished = true;
            return;
        }
        if (filled > 0) {
            sendPart();
        }
        try {
            slots.acquire(IN_FLIGHT);
            slots.release(IN_FLIGHT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while uploading " + key);
        }
        check();
        List<CompletedPart> sorted;
        synchronized (parts) {
            sorted = parts.stream().sorted(Comparator.comparing(CompletedPart::partNumber)).toList();
        }
        call(() -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(u -> u.parts(sorted))));
        finished = true;
        uploaders.shutdown();
    }

    /** Aborts the multipart upload unless it completed; nothing stays behind. Idempotent. */
    synchronized void abort() {
        if (finished) {
            return;
        }
        finished = true;
        slots.release(IN_FLIGHT); // a writer waiting for a free slot sees the abort at once
        if (uploaders != null) {
            uploaders.shutdownNow();
        }
        String id = uploadId;
        if (id != null) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id));
            } catch (SdkException e) {
                // the next run's cleanup aborts it
            }
        }
        buffer = new byte[0];
    }

    private <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw errors.translate("upload " + key, e);
        }
    }
}
