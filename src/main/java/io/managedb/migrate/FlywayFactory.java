package io.managedb.migrate;

import io.managedb.core.ManageDbException;
import io.managedb.config.Target;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.SQLException;
import java.util.function.UnaryOperator;

/**
 * Flyway configured the manage-db way: SQL migrations from the configured directories, the same connection parameters
 * as every other command, placeholder replacement only when turned on (else SQL is run as written), clean disabled,
 * Flyway's logging through SLF4J (off unless -v), and validation that does not count pending migrations as errors. Undo scripts ({@code U<version>__*.sql}) sit beside the versioned ones; Flyway's
 * community edition never runs them: manage-db does, in {@code migrate rollback}.
 */
final class FlywayFactory {
    private FlywayFactory() {
    }

    static Flyway create(Target target, MigrationSettings settings, UnaryOperator<FluentConfiguration> customize) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(target.jdbcUrl());
        try {
            for (var e : target.jdbcProperties().entrySet()) {
                ds.setProperty(e.getKey().toString(), e.getValue().toString());
            }
        } catch (SQLException e) {
            throw ManageDbException.config("invalid connection property: " + e.getMessage());
        }
        FluentConfiguration config = Flyway.configure(FlywayFactory.class.getClassLoader())
                .dataSource(ds)
                .locations(settings.locations().stream().map(d -> "filesystem:" + d.toAbsolutePath())
                        .toArray(String[]::new))
                .failOnMissingLocations(false)
                .placeholderReplacement(settings.placeholders())
                .placeholders(settings.values())
                .cleanDisabled(true)
                .validateMigrationNaming(false)
                .ignoreMigrationPatterns("*:pending", "*:future")
                .loggers("slf4j");
        if (settings.table() != null) {
            config.table(settings.table());
        }
        if (!settings.schemas().isEmpty()) {
            config.schemas(settings.schemas().toArray(String[]::new));
        }
        Flyway flyway = customize.apply(config).load();
        // a session-level advisory lock: Flyway's default transactional one keeps a transaction open that
        // CREATE INDEX CONCURRENTLY waits for forever (flyway/flyway#3854); manage-db holds its own lock too
        flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        return flyway;
    }
}
