package io.rulescaler.capacity.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses DRL that names calls no scaling rule needs and that would harm the service (stopping the
 * JVM, starting processes, reflection, threads, files), before it is compiled: a guard-rail against
 * mistakes and copy-paste, not a sandbox. DRL is Java and a determined author can get around a
 * text scan; that is why uploading DRL needs an admin and can be switched off (docs/rules.md).
 */
public final class ForbiddenCalls {

    /** What is refused, and the words the author sees. */
    record Rule(Pattern pattern, String why) {
    }

    static final List<Rule> RULES = List.of(
            rule("\\bSystem\\s*\\.\\s*(exit|halt|setProperty|setSecurityManager|load|loadLibrary|setIn|setOut|setErr)\\b",
                    "System.exit and other System calls that change or stop the JVM"),
            rule("\\bRuntime\\s*\\.\\s*getRuntime\\b|\\bRuntime\\s*\\.\\s*(exec|halt|exit)\\b", "Runtime (exit, halt, exec)"),
            rule("\\bProcessBuilder\\b|\\bProcessHandle\\b", "starting or killing processes"),
            rule("\\bjava\\s*\\.\\s*lang\\s*\\.\\s*reflect\\b|\\bClass\\s*\\.\\s*forName\\b|\\bgetDeclared(Method|Field|Constructor)s?\\b"
                    + "|\\bsetAccessible\\b|\\bMethodHandles\\b", "reflection"),
            rule("\\bnew\\s+Thread\\b|\\bThread\\s*\\.\\s*(sleep|ofVirtual|ofPlatform|startVirtualThread)\\b|\\bExecutors\\b",
                    "threads and sleeping (a rule must return quickly)"),
            rule("\\bjava\\s*\\.\\s*(io\\s*\\.\\s*File|nio\\s*\\.\\s*file)\\b|\\bnew\\s+File(Input|Output)Stream\\b|\\bFiles\\s*\\.",
                    "reading or writing files"),
            rule("\\bimport\\s+static\\s+java\\s*\\.\\s*lang\\s*\\.\\s*(System|Runtime)\\b", "static imports of System or Runtime"));

    private ForbiddenCalls() {
    }

    private static Rule rule(String regex, String why) {
        return new Rule(Pattern.compile(regex), why);
    }

    /** One error per forbidden call, at its line and column; comments and string literals are not looked at. */
    public static List<RuleError> scan(RuleSource source) {
        String code = blankCommentsAndStrings(source.content());
        List<RuleError> out = new ArrayList<>();
        for (Rule r : RULES) {
            Matcher m = r.pattern().matcher(code);
            while (m.find()) {
                int line = 1;
                int lineStart = 0;
                for (int i = 0; i < m.start(); i++) {
                    if (code.charAt(i) == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                }
                out.add(new RuleError(source.path(), line, m.start() - lineStart + 1, "'" + m.group().replaceAll("\\s+", "")
                        + "' is not allowed in rules (" + r.why() + "); rules decide, actions act: see docs/rules.md, 'What rules may not call'"));
            }
        }
        return out;
    }

    /** The text with comments and string literals replaced by spaces (newlines kept, so lines and columns stay). */
    static String blankCommentsAndStrings(String s) {
        StringBuilder b = new StringBuilder(s);
        int i = 0;
        while (i < b.length()) {
            char c = b.charAt(i);
            char next = i + 1 < b.length() ? b.charAt(i + 1) : 0;
            if (c == '/' && next == '/' || c == '#' && (i == 0 || b.charAt(i - 1) == '\n')) {
                while (i < b.length() && b.charAt(i) != '\n') {
                    b.setCharAt(i++, ' ');
                }
            } else if (c == '/' && next == '*') {
                while (i < b.length() && !(b.charAt(i) == '*' && i + 1 < b.length() && b.charAt(i + 1) == '/')) {
                    blank(b, i++);
                }
                for (int k = 0; k < 2 && i < b.length(); k++) {
                    blank(b, i++);
                }
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < b.length() && b.charAt(i) != c && b.charAt(i) != '\n') {
                    if (b.charAt(i) == '\\' && i + 1 < b.length()) {
                        blank(b, i++);
                    }
                    blank(b, i++);
                }
                i++;
            } else {
                i++;
            }
        }
        return b.toString();
    }

    private static void blank(StringBuilder b, int i) {
        if (b.charAt(i) != '\n') {
            b.setCharAt(i, ' ');
        }
    }
}
