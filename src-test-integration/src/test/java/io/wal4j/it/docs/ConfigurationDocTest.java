package io.wal4j.it.docs;

import io.wal4j.api.ConfigKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps {@code docs/configuration.md} and the code in step: every {@link ConfigKey} that a known owner class declares
 * is listed in the doc, under its owner's section, with its default, and the doc lists no key the code lacks. The keys
 * are collected by reflection (static fields of type {@code ConfigKey}, private ones too, and a static
 * {@code configKeys()} list where a class has one); a classpath scan makes sure no other wal4j class has started
 * declaring keys without being added here.
 *
 * <p>A default in the doc is written in the form the key accepts ({@code 64MiB}, {@code 10ms}, {@code DISK}); it
 * matches when the key parses it to the code's default. A key without default is written {@code required} (when
 * {@code build} fails without it) or {@code unset} (when leaving it out has a meaning of its own), an empty string
 * default {@code empty}.
 */
class ConfigurationDocTest {

    /** The classes that declare configuration keys; each has a {@code PREFIX} constant its keys start with. */
    private static final List<String> OWNERS = List.of(
            "io.wal4j.adaptor.AdaptorConfig",
            "io.wal4j.impls.memory.MemoryOpenerBuilder",
            "io.wal4j.impls.file.FileConfig",
            "io.wal4j.impls.kafka.KafkaOpenerBuilder");

    private static final Set<String> NO_DEFAULT = Set.of("required", "unset");
    private static final String EMPTY_DEFAULT = "empty";
    private static final Pattern KEY_CELL = Pattern.compile("`(wal\\.[a-z0-9.*-]+)`");
    private static final Pattern CODE_CELL = Pattern.compile("`([^`]+)`");

    /** One key row or pass-through prefix row of the doc's tables. */
    record DocRow(int line, String section, String key, String defaultCell, String meaning) {
        boolean isPrefix() {
            return key.endsWith(".*");
        }
    }

    /** A key as the code declares it. */
    record CodeKey(Class<?> owner, String ownerPrefix, ConfigKey<?> key) {
    }

    private static List<DocRow> docRows;
    private static Map<String, CodeKey> codeKeys;

    @BeforeAll
    static void readDocAndCode() throws Exception {
        docRows = parseDoc(findDoc());
        codeKeys = new LinkedHashMap<>();
        for (String owner : OWNERS) {
            Class<?> type = Class.forName(owner);
            String prefix = (String) staticValue(type.getDeclaredField("PREFIX"));
            for (ConfigKey<?> key : declaredKeys(type)) {
                CodeKey previous = codeKeys.put(key.name(), new CodeKey(type, prefix, key));
                assertThat(previous).as("key %s declared twice", key.name()).isNull();
            }
        }
    }

    @Test
    void everyOwnerDeclaresKeysUnderItsPrefix() throws Exception {
        for (String owner : OWNERS) {
            Class<?> type = Class.forName(owner);
            List<CodeKey> keys = codeKeys.values().stream().filter(k -> k.owner() == type).toList();
            assertThat(keys).as("keys of %s", owner).isNotEmpty()
                    .allSatisfy(k -> assertThat(k.key().name()).startsWith(k.ownerPrefix()));
        }
    }

    @Test
    void everyKeyOfTheCodeIsDocumentedUnderItsOwnerWithItsDefault() {
        List<String> problems = new ArrayList<>();
        for (CodeKey code : codeKeys.values()) {
            ConfigKey<?> key = code.key();
            List<DocRow> rows = docRows.stream().filter(r -> r.key().equals(key.name())).toList();
            if (rows.size() != 1) {
                problems.add(key.name() + " (default " + key.defaultValue() + ", " + code.owner().getSimpleName()
                        + ") is listed " + rows.size() + " times in docs/configuration.md, expected once");
                continue;
            }
            DocRow row = rows.get(0);
            if (!row.section().contains("`" + code.ownerPrefix() + "`")) {
                problems.add("line " + row.line() + ": " + key.name() + " is under \"" + row.section()
                        + "\", expected the section of `" + code.ownerPrefix() + "`");
            }
            checkDefault(key, row).ifPresent(problems::add);
            if (row.meaning().isBlank()) {
                problems.add("line " + row.line() + ": " + key.name() + " has no meaning");
            }
        }
        assertThat(problems).as("docs/configuration.md against the code").isEmpty();
    }

    private static java.util.Optional<String> checkDefault(ConfigKey<?> key, DocRow row) {
        String where = "line " + row.line() + ": " + key.name();
        if (key.defaultValue() == null) {
            return NO_DEFAULT.contains(row.defaultCell()) ? java.util.Optional.empty()
                    : java.util.Optional.of(where + " has no default in the code; the doc must say one of "
                    + NO_DEFAULT + ", not " + row.defaultCell());
        }
        if ("".equals(key.defaultValue())) {
            return row.defaultCell().equals(EMPTY_DEFAULT) ? java.util.Optional.empty()
                    : java.util.Optional.of(where + " defaults to the empty string; the doc must say " + EMPTY_DEFAULT
                    + ", not " + row.defaultCell());
        }
        Matcher m = CODE_CELL.matcher(row.defaultCell());
        if (!m.matches()) {
            return java.util.Optional.of(where + ": default cell \"" + row.defaultCell() + "\" is not one `value`;"
                    + " the code's default is " + key.defaultValue());
        }
        try {
            Object documented = key.parse(m.group(1));
            return documented.equals(key.defaultValue()) ? java.util.Optional.empty()
                    : java.util.Optional.of(where + ": the doc's default " + m.group(1) + " means " + documented
                    + ", the code's default is " + key.defaultValue());
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of(where + ": the doc's default does not parse: " + e.getMessage());
        }
    }

    @Test
    void theDocNamesTheClassDeclaringEachOwnersKeys() throws IOException {
        String doc = Files.readString(findDoc(), StandardCharsets.UTF_8);
        assertThat(OWNERS).allSatisfy(owner -> assertThat(doc).contains("`" + owner + "`"));
    }

    @Test
    void theDocListsNoKeyTheCodeLacks() {
        List<String> unknown = docRows.stream().filter(r -> !r.isPrefix() && !codeKeys.containsKey(r.key()))
                .map(r -> "line " + r.line() + ": " + r.key()).toList();
        assertThat(unknown).as("keys in docs/configuration.md that no owner declares").isEmpty();
    }

    @Test
    void passThroughPrefixesMatchTheCode() throws Exception {
        Set<String> inCode = new TreeSet<>();
        for (String owner : OWNERS) {
            for (Field field : Class.forName(owner).getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                        && field.getName().endsWith("_PREFIX")) {
                    inCode.add(staticValue(field) + "*");
                }
            }
        }
        Set<String> inDoc = docRows.stream().filter(DocRow::isPrefix).map(DocRow::key)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(inDoc).as("pass-through prefixes").isEqualTo(inCode);
    }

    @Test
    void everyDeclaredKeyIsInItsOwnersListOfKnownKeys() throws Exception {
        for (String owner : OWNERS) {
            Class<?> type = Class.forName(owner);
            List<Object> listed = new ArrayList<>();
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && Collection.class.isAssignableFrom(field.getType())) {
                    Object value = staticValue(field);
                    ((Collection<?>) value).stream().filter(ConfigKey.class::isInstance).forEach(listed::add);
                }
            }
            List<ConfigKey<?>> declared = keyFields(type);
            // An unlisted key would be refused as unknown by WALConfig.requireKnown although it is documented.
            assertThat(listed).as("the key list of %s (what requireKnown accepts)", owner)
                    .containsExactlyInAnyOrderElementsOf(declared);
        }
    }

    @Test
    void noOtherWal4jClassDeclaresConfigurationKeys() {
        Set<String> declaring = new TreeSet<>();
        for (String className : wal4jClassesOnTheClassPath()) {
            try {
                Class<?> type = Class.forName(className, false, ConfigurationDocTest.class.getClassLoader());
                boolean hasKeys = Stream.of(type.getDeclaredFields()).anyMatch(f -> Modifier.isStatic(f.getModifiers())
                        && ConfigKey.class.isAssignableFrom(f.getType()));
                if (hasKeys) {
                    declaring.add(className);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // A class whose optional dependencies are not on this classpath declares nothing we could read.
            }
        }
        assertThat(declaring).as("classes declaring ConfigKey constants; add new ones to OWNERS and the doc")
                .isNotEmpty().isSubsetOf(OWNERS);
        assertThat(declaring).as("every owner is on the classpath").containsExactlyInAnyOrderElementsOf(OWNERS);
    }

    // ---- reading the code ----

    private static List<ConfigKey<?>> declaredKeys(Class<?> type) throws ReflectiveOperationException {
        List<ConfigKey<?>> keys = new ArrayList<>(keyFields(type));
        try {
            Method listed = type.getDeclaredMethod("configKeys");
            if (Modifier.isStatic(listed.getModifiers())) {
                listed.setAccessible(true);
                for (Object key : (Collection<?>) listed.invoke(null)) {
                    if (keys.stream().noneMatch(k -> k == key)) {
                        keys.add((ConfigKey<?>) key);
                    }
                }
            }
        } catch (NoSuchMethodException e) {
            // Most owners only declare constants.
        }
        return keys;
    }

    private static List<ConfigKey<?>> keyFields(Class<?> type) throws IllegalAccessException {
        List<ConfigKey<?>> keys = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && ConfigKey.class.isAssignableFrom(field.getType())) {
                keys.add((ConfigKey<?>) staticValue(field));
            }
        }
        return keys;
    }

    private static Object staticValue(Field field) throws IllegalAccessException {
        field.setAccessible(true); // package-private key holders are read too
        return field.get(null);
    }

    private static List<String> wal4jClassesOnTheClassPath() {
        List<String> names = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (entry.endsWith("test-classes")) {
                continue; // test code may declare keys of its own; only shipped code is documented
            }
            if (Files.isDirectory(path)) {
                Path root = path.resolve("io/wal4j");
                if (Files.isDirectory(root)) {
                    try (Stream<Path> files = Files.walk(root)) {
                        files.map(p -> path.relativize(p).toString().replace(File.separatorChar, '/'))
                                .filter(ConfigurationDocTest::isClassFile).map(ConfigurationDocTest::className)
                                .forEach(names::add);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (name.startsWith("io/wal4j/") && isClassFile(name)) {
                            names.add(className(name));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return names;
    }

    private static boolean isClassFile(String name) {
        return name.endsWith(".class") && !name.endsWith("package-info.class") && !name.endsWith("module-info.class");
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }

    // ---- reading the doc ----

    private static Path findDoc() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs").resolve("configuration.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        return fail("docs/configuration.md not found above " + System.getProperty("user.dir"));
    }

    /** @return every table row whose first cell is a backticked {@code wal.} key or prefix */
    private static List<DocRow> parseDoc(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<DocRow> rows = new ArrayList<>();
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith("## ")) {
                section = line;
            }
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = line.substring(1).split("\\|", -1);
            Matcher key = KEY_CELL.matcher(cells[0].trim());
            if (cells.length >= 3 && key.matches()) {
                String meaning = cells.length >= 4 ? cells[2].trim() + " " + cells[3].trim() : cells[2].trim();
                rows.add(new DocRow(i + 1, section, key.group(1), cells[1].trim(), meaning.trim()));
            }
        }
        assertThat(rows).as("key rows in %s", doc).isNotEmpty();
        return rows;
    }
}
