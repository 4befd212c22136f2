package io.managedb.check;

import io.managedb.core.ManageDbException;
import io.managedb.config.Config;
import io.managedb.config.Environment;
import io.managedb.config.Setting;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.db.EnvironmentStamp;
import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ToolVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks environments: reachability and latency, server and pg tool versions, size, tables, migrations, environment
 * stamp, newest backup and managed triggers.
 */
public final class CheckService {
    private static final Pattern VERSIONED = Pattern.compile("^V([0-9][0-9._]*)__.*\\.sql$");

    private final Config config;
    private final PgTools tools;
    private final Function<Environment, Optional<EnvironmentCheck.NewestBackup>> newestBackup;
    private final Function<Environment, String> triggers;

    /**
     * @param newestBackup finds an environment's newest good backup
     * @param triggers     a one-line trigger verification summary, or null when not applicable
     */
    public CheckService(Config config, PgTools tools,
                        Function<Environment, Optional<EnvironmentCheck.NewestBackup>> newestBackup,
                        Function<Environment, String> triggers) {
        this.config = config;
        this.tools = tools;
        this.newestBackup = newestBackup;
        this.triggers = triggers;
    }

    public CheckResult check(List<Environment> environments) {
        return new CheckResult(environments.stream().map(this::check).toList());
    }

    public EnvironmentCheck check(Environment env) {
        List<String> problems = new ArrayList<>();
        Optional<EnvironmentCheck.NewestBackup> backup = newestBackup.apply(env);
        try (Connection c = Connections.open(env.target())) {
            double latency;
            try (Statement st = c.createStatement()) {
                long t0 = System.nanoTime();
                st.execute("SELECT 1");
                latency = (System.nanoTime() - t0) / 1_000_000.0;
            }
            String version = Catalog.single(c, "SHOW server_version");
            int versionNum = Integer.parseInt(Catalog.single(c, "SHOW server_version_num"));
            List<ToolStatus> toolStatus = tools(versionNum, problems);
            long size = Long.parseLong(Catalog.single(c, "SELECT pg_database_size(current_database())"));
            int tables = Integer.parseInt(Catalog.single(c, "SELECT count(*) FROM pg_class r JOIN pg_namespace n"
                    + " ON n.oid = r.relnamespace WHERE r.relkind IN ('r', 'p') AND n.nspname NOT IN"
                    + " ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"));
            MigrationState migrations = migrations(c, problems);
            String stamp = EnvironmentStamp.read(c, env.target().database()).orElse(null);
            if (stamp != null && !stamp.equals(env.name())) {
                problems.add("database is stamped as environment '" + stamp + "'");
            }
            String triggerSummary = triggers.apply(env);
            if (triggerSummary != null && !triggerSummary.startsWith("ok")) {
                problems.add("triggers: " + triggerSummary);
            }
            return new EnvironmentCheck(env.name(), env.target().masked(), env.zeroConfigDefault(),
                    env.protectedEnv(), true, round(latency), version.replaceAll(" \\(.*", ""), toolStatus, size,
                    tables, migrations, stamp, backup.orElse(null), triggerSummary, problems);
        } catch (ManageDbException e) {
            problems.add(e.getMessage());
            return new EnvironmentCheck(env.name(), env.target().masked(), env.zeroConfigDefault(),
                    env.protectedEnv(), false, null, null, tools(0, new ArrayList<>()), null, null, null, null,
                    backup.orElse(null), null, problems);
        } catch (SQLException e) {
            throw Connections.translate(env.target(), e);
        }
    }

    private List<ToolStatus> tools(int serverVersionNum, List<String> problems) {
        List<ToolStatus> result = new ArrayList<>();
        PgTools tools = this.tools;
        if (serverVersionNum != 0) {
            try {
                tools = tools.forServer(serverVersionNum); // the client version this environment's operations use
            } catch (ManageDbException e) {
                problems.add(e.getMessage());
            }
        }
        for (PgTool tool : PgTool.values()) {
            try {
                ToolVersion v = tools.version(tool);
                boolean ok = serverVersionNum == 0 || PgTools.compatible(v, serverVersionNum);
                String problem = ok ? null : tool.program() + " " + v.version() + " is older than the server";
                if (problem != null) {
                    problems.add(problem);
                }
                result.add(new ToolStatus(tool.program(), v.version(), v.path().toString(), ok, problem));
            } catch (ManageDbException e) {
                problems.add(e.getMessage());
                result.add(new ToolStatus(tool.program(), null, null, false, e.getMessage()));
            }
        }
        return result;
    }

    private MigrationState migrations(Connection c, List<String> problems) throws SQLException {
        if (Catalog.single(c, "SELECT to_regclass('flyway_schema_history')") == null) {
            return null;
        }
        Set<String> applied = new HashSet<>();
        int failed = 0;
        String current = null;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT version, success FROM flyway_schema_history ORDER BY installed_rank")) {
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    failed++;
                } else if (rs.getString(1) != null) {
                    applied.add(normalise(rs.getString(1)));
                    current = rs.getString(1);
                }
            }
        }
        int pending = 0;
        Path dir = config.path(Setting.MIGRATIONS_DIR);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Matcher m = VERSIONED.matcher(f.getFileName().toString());
                    if (m.matches() && !applied.contains(normalise(m.group(1)))) {
                        pending++;
                    }
                }
            } catch (IOException e) {
                problems.add("cannot list " + dir + ": " + e.getMessage());
            }
        }
        if (failed > 0) {
            problems.add(failed + " failed migration(s) in flyway_schema_history");
        }
        return new MigrationState(current, applied.size(), pending, failed);
    }

    private static String normalise(String version) {
        return version.replace('_', '.').replaceAll("(^|\\.)0+(\\d)", "$1$2");
    }


    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }
}
