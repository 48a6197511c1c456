package io.rulescaler.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One line of the bad-input corpus ({@code src/test/resources/bad-input/*.cases}, format in the
 * README there): where it comes from, the entry point, what it must answer, and its body as bytes.
 */
record CorpusCase(String source, String name, String entry, int status, String text, byte[] body) {

    static final Path FOLDER = Path.of("src/test/resources/bad-input");
    static final String BASE = "\"name\":\"corpus-x\",\"provider\":\"stub\",\"size\":{\"min\":1,\"max\":3}";

    @Override
    public String toString() {
        return name;
    }

    /** Every case of every file, in file and line order. */
    static List<CorpusCase> all() {
        try (Stream<Path> files = Files.list(FOLDER)) {
            List<CorpusCase> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".cases")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (!l.isBlank() && !l.startsWith("#")) {
                        out.add(parse(f.getFileName() + ":" + (i + 1), l));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CorpusCase parse(String source, String line) {
        String[] p = line.split("\\|", 5);
        if (p.length != 5 || !p[4].startsWith(" ")) {
            throw new IllegalArgumentException(source + ": a case is 'name | entry | status | error text | body'");
        }
        return new CorpusCase(source, p[0].trim(), p[1].trim(), Integer.parseInt(p[2].trim()), p[3].trim(), body(p[4].substring(1)));
    }

    /** The body with its macros and escapes applied; null for "-". */
    static byte[] body(String raw) {
        if (raw.equals("-")) {
            return null;
        }
        String s = raw.replace("${base}", BASE).replace("${now}", Instant.now().toString());
        StringBuilder expanded = new StringBuilder();
        int at = 0;
        while (true) {
            int open = s.indexOf("${repeat:", at);
            if (open < 0) {
                expanded.append(s, at, s.length());
                break;
            }
            int close = s.indexOf('}', open);
            int end = s.indexOf("${end}", close);
            expanded.append(s, at, open);
            int n = Integer.parseInt(s.substring(open + 9, close));
            expanded.append(s.substring(close + 1, end).repeat(n));
            at = end + 6;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String t = expanded.toString();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c != '\\' || i + 1 == t.length()) {
                text.append(c);
                continue;
            }
            char e = t.charAt(++i);
            switch (e) {
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case '\\' -> text.append('\\');
                case 'x' -> {
                    out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
                    text.setLength(0);
                    out.write(Integer.parseInt(t.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> text.append('\\').append(e);
            }
        }
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
