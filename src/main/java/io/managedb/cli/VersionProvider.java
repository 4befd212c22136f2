package io.managedb.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version, from a resource filtered at build time (no jar manifest scan, no logging: startup stays fast). */
public final class VersionProvider implements IVersionProvider {

    public static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/io/managedb/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        // concat, not +: the first indy string concatenation bootstraps a dozen classes (--version is timed)
        return new String[] {"manage-db ".concat(version()), "Java ".concat(System.getProperty("java.version"))};
    }
}
