package io.wal4j.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/** Parses the commands' duration options: {@code 250ms}, {@code 2s}, {@code 1m}. Stateless. */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private Durations() {
    }

    /**
     * @return the duration
     * @throws picocli.CommandLine.ParameterException (exit 2) quoting the option and value if it is not one
     */
    static Duration parse(CommandSpec spec, String option, String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw Failures.usage(spec, option + " must be a duration such as 250ms, 2s or 1m, got \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
