package io.managedb.cli;

import io.managedb.core.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What every command and subcommand gets, whatever its annotations say: {@code -h/--help} (which works even when
 * required options are missing; {@code --version} stays the root's, since {@code migrate baseline} has its own), the exit codes in its help, defaults shown, and enum values in lower case, as
 * users type them, in help and completion.
 */
final class CommandSetup {
    /** Options that name an environment, completed with the configured environments' names. */
    private static final Set<String> ENVIRONMENT_OPTIONS = Set.of("--env", "--from", "--to");
    static final int WIDTH = 80;

    private CommandSetup() {
    }

    /** Everything, for help and completion: {@link #forParsing} and {@link #forHelp}. */
    static void apply(CommandLine cl) {
        forParsing(cl);
        forHelp(cl);
    }

    /** What parsing needs, on this command and every subcommand: {@code -h/--help}. */
    static void forParsing(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        if (spec.options().stream().noneMatch(OptionSpec::usageHelp)) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        cl.getSubcommands().values().stream().distinct().forEach(CommandSetup::forParsing);
    }

    /**
     * What only a rendered help (and the completion script) shows, on the whole tree {@code cl} belongs to, once: exit
     * codes, examples, defaults, enum values. A command that runs renders no help, so it leaves this out (rebuilding
     * every option's spec cost about a quarter of the start-up's model building).
     */
    static void forHelp(CommandLine cl) {
        CommandLine root = cl.getCommandSpec().root().commandLine();
        if (!root.getCommandSpec().usageMessage().exitCodeList().isEmpty()) {
            return;
        }
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            codes.put(String.format("%3d", code.code()), code.description());
        }
        apply(root, codes, examples());
    }

    /** The Examples section of each command's help, by command path, from {@code examples.txt}. */
    static Map<String, List<String>> examples() {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        try (InputStream in = CommandSetup.class.getResourceAsStream("examples.txt")) {
            List<String> section = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.startsWith("== ")) {
                    section = new ArrayList<>();
                    sections.put(line.substring(3).strip(), section);
                } else if (section != null && !line.startsWith("#")) {
                    section.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the help's examples", e);
        }
        sections.values().forEach(lines -> {
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
                lines.remove(lines.size() - 1);
            }
        });
        return sections;
    }

    private static void apply(CommandLine cl, Map<String, String> codes, Map<String, List<String>> examples) {
        CommandSpec spec = cl.getCommandSpec();
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes).width(WIDTH).autoWidth(false);
        List<String> footer = examples.get(spec.parent() == null ? spec.name()
                : spec.qualifiedName().substring(spec.root().name().length() + 1));
        if (footer != null) {
            spec.usageMessage().footerHeading("%nExamples:%n").footer(reflow(footer.stream()
                    .map(line -> line.replace("%", "%%")).toArray(String[]::new), WIDTH - 1));
        }
        for (OptionSpec option : new ArrayList<>(spec.options())) {
            OptionSpec.Builder builder = OptionSpec.builder(option);
            boolean changed = false;
            if (option.type().isEnum()) {
                List<String> values = new ArrayList<>();
                for (Object value : option.type().getEnumConstants()) {
                    values.add(((Enum<?>) value).name().toLowerCase(Locale.ROOT).replace('_', '-'));
                }
                builder.completionCandidates(values).description(append(option.description(),
                        "Allowed: " + String.join(", ", values) + "."));
                changed = true;
            }
            // an explicit default is shown (not the implicit false of a flag or the empty list of a repeatable)
            if (option.defaultValue() != null && option.type() != boolean.class && !option.usageHelp()
                    && !option.versionHelp()) {
                builder.showDefaultValue(CommandLine.Help.Visibility.ALWAYS);
                changed = true;
            }
            if (changed) {
                replace(spec, option, builder);
            }
        }
        cl.getSubcommands().values().stream().distinct().forEach(sub -> apply(sub, codes, examples));
    }

    /**
     * Footer lines that fit {@code width} columns: prose is re-wrapped as paragraphs; an example too long for one
     * line puts its comment (after a gap of spaces) on the next line, or wraps with an indent, never at column 0.
     */
    static String[] reflow(String[] footer, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        for (String line : footer) {
            if (line.isBlank() || line.startsWith(" ")) {
                wrap(out, paragraph.toString(), "", width);
                paragraph.setLength(0);
                if (line.isBlank()) {
                    out.add(line);
                } else if (line.length() <= width) {
                    out.add(line);
                } else {
                    java.util.regex.Matcher gap = java.util.regex.Pattern.compile("^(\\s+\\S.*?\\S)\\s{2,}(\\S.*)$")
                            .matcher(line);
                    if (gap.matches() && gap.group(1).length() <= width) {
                        out.add(gap.group(1));
                        wrap(out, gap.group(2), "      ", width);
                    } else {
                        String indent = line.substring(0, line.length() - line.stripLeading().length());
                        wrap(out, line.strip(), indent, width, indent + "    ");
                    }
                }
            } else {
                paragraph.append(paragraph.length() == 0 ? "" : " ").append(line.strip());
            }
        }
        wrap(out, paragraph.toString(), "", width);
        return out.toArray(String[]::new);
    }

    private static void wrap(List<String> out, String text, String indent, int width) {
        wrap(out, text, indent, width, indent);
    }

    private static void wrap(List<String> out, String text, String first, int width, String next) {
        if (text.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder(first);
        boolean empty = true;
        for (String word : text.split(" +")) {
            if (!empty && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line = new StringBuilder(next);
                empty = true;
            }
            line.append(empty ? "" : " ").append(word);
            empty = false;
        }
        out.add(line.toString());
    }

    private static String[] append(String[] description, String sentence) {
        String[] result = Arrays.copyOf(description, Math.max(1, description.length));
        int last = result.length - 1;
        result[last] = (result[last] == null ? "" : result[last] + " ") + sentence;
        return result;
    }

    /** Completes {@code -e/--env}, {@code --from} and {@code --to} with these environment names, everywhere. */
    static void completeEnvironments(CommandLine cl, Collection<String> names) {
        CommandSpec spec = cl.getCommandSpec();
        for (OptionSpec option : new ArrayList<>(spec.options())) {
            if (Arrays.stream(option.names()).anyMatch(ENVIRONMENT_OPTIONS::contains)) {
                replace(spec, option, OptionSpec.builder(option).completionCandidates(List.copyOf(names)));
            }
        }
        cl.getSubcommands().values().stream().distinct().forEach(sub -> completeEnvironments(sub, names));
    }

    private static void replace(CommandSpec spec, OptionSpec option, OptionSpec.Builder builder) {
        spec.remove(option);
        spec.addOption(builder.build());
    }
}
