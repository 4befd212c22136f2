package io.managedb.backup;

import io.managedb.Progress;
import io.managedb.config.Target;
import io.managedb.pg.ChildEnvironment;
import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessSpec;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Restores an archive into an (empty) database: custom and directory archives through
 * {@code pg_restore --exit-on-error}, plain ones through {@code psql -v ON_ERROR_STOP=1}. Ownership and privileges
 * are left out unless asked for, so that a backup from one server restores into another whose roles differ.
 * Any error fails the restore: "errors ignored on restore" never passes.
 */
public final class ArchiveRestorer {
    private static final Pattern PROCESSING = Pattern.compile("processing data for table");
    private static final Pattern OWNER_OR_ACL = Pattern.compile(
            "^(ALTER [A-Z ]+ .* OWNER TO .*;|GRANT .*;|REVOKE .*;|ALTER DEFAULT PRIVILEGES .*;)$");
    private static final Pattern COPY_START = Pattern.compile("^COPY .* FROM stdin;$");

    private final PgTools tools;

    public ArchiveRestorer(PgTools tools) {
        this.tools = tools;
    }

    /**
     * @param into          the database to restore into (normally a fresh scratch database)
     * @param keepOwnership restore owners and privileges as they were in the source
     */
    public void restore(Archive archive, Target into, int jobs, boolean keepOwnership, Progress progress) {
        try (ChildEnvironment env = tools.environment(into)) {
            if (archive.format() == BackupFormat.PLAIN) {
                restorePlain(archive, env, keepOwnership);
                return;
            }
            int total = progress == Progress.NONE ? 0 : archive.tableDataEntries(tools);
            AtomicInteger done = new AtomicInteger();
            List<String> args = new ArrayList<>(List.of("--exit-on-error", "--verbose", "--dbname=" + into.database()));
            if (!keepOwnership) {
                args.add("--no-owner");
                args.add("--no-acl");
            }
            if (jobs > 1) {
                args.add("--jobs=" + jobs);
            }
            args.add(archive.path().toString());
            tools.runner().run(ProcessSpec.of(tools.command(PgTool.PG_RESTORE, args), env.variables())
                    .onStderrLine(line -> {
                        if (PROCESSING.matcher(line).find()) {
                            progress.update("restoring tables " + done.incrementAndGet() + "/" + total);
                        }
                    }));
        } finally {
            progress.done();
        }
    }

    private void restorePlain(Archive archive, ChildEnvironment env, boolean keepOwnership) {
        List<String> args = List.of("-X", "-q", "-v", "ON_ERROR_STOP=1", "--dbname=" + env.variables().get("PGDATABASE"),
                "-f", "-");
        tools.runner().run(ProcessSpec.of(tools.command(PgTool.PSQL, args), env.variables())
                .stdoutTo(java.io.OutputStream.nullOutputStream())
                .stdinFrom(stdin -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(archive.openSql(),
                            StandardCharsets.UTF_8), 1 << 16);
                         Writer out = new BufferedWriter(new OutputStreamWriter(stdin, StandardCharsets.UTF_8),
                                 1 << 16)) {
                        copySql(in, out, keepOwnership);
                    }
                }));
    }

    /** Copies SQL text, leaving out ownership and privilege statements (never inside COPY data) unless kept. */
    static void copySql(BufferedReader in, Writer out, boolean keepOwnership) throws java.io.IOException {
        boolean inCopy = false;
        String line;
        while ((line = in.readLine()) != null) {
            if (inCopy) {
                inCopy = !line.equals("\\.");
            } else if (COPY_START.matcher(line).matches()) {
                inCopy = true;
            } else if (!keepOwnership && OWNER_OR_ACL.matcher(line).matches()) {
                continue;
            }
            out.write(line);
            out.write('\n');
        }
    }
}
