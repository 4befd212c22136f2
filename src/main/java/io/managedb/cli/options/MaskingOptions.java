package io.managedb.cli.options;

import io.managedb.config.Config;
import io.managedb.config.Setting;
import io.managedb.copy.Masking;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code --masked} | {@code --unmasked} of copy (an exclusive group), and the masking they ask for. */
public final class MaskingOptions {
    @Option(names = "--masked", description = "Mask the rows with the rules of MANAGE_DB_MASKING_FILE.")
    public boolean masked;

    @Option(names = "--unmasked", description = "Copy personal data out of a protected environment as it is"
            + " (needs that environment's confirmation: its typed name, or --confirm naming it).")
    public boolean unmasked;

    /** The masking a copy applies: with these options (null when neither was given) and the configured rules. */
    public static Masking masking(MaskingOptions options, Config config) {
        Masking.Mode mode = options == null ? Masking.Mode.OFF
                : options.masked ? Masking.Mode.MASKED : Masking.Mode.UNMASKED;
        String secret = config.get(Setting.MASKING_SECRET);
        return new Masking(mode, config.path(Setting.MASKING_FILE), secret.isEmpty() ? null : secret,
                List.of(config.get(Setting.PERSONAL_COLUMNS).split(",")));
    }
}
