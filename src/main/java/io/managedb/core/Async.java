package io.managedb.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for work started in the background. */
public final class Async {
    private Async() {
    }

    /** The future's value; its failure rethrown as it was thrown (not wrapped in a CompletionException). */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
