package dev.xcfi.encoding.c;

import dev.xcfi.encoding.source.SyntaxException;
import dev.xcfi.encoding.CTypePrinter;
import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.ClangEncoder;
import dev.xcfi.types.CallingConvention;
import dev.xcfi.types.FunctionType;
import dev.xcfi.types.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderParserTest {
    static final Target X86 = Target.X86_64_LINUX_GNU;

    static ParsedHeader parse(String text) {
        return HeaderParser.parse(X86, "t.h", text);
    }

    static List<String> names(ParsedHeader h) {
        return h.functions().stream().map(FunctionDeclaration::name).toList();
    }

    static String id(String text) {
        ParsedHeader h = parse(text);
        assertThat(h.errors()).isEmpty();
        return ClangEncoder.of(X86).encode(h.functions().get(0).type(), CfiMode.PLAIN).value();
    }

    @Test
    void oneBadDeclarationDoesNotStopTheOthers() {
        ParsedHeader h = parse("void a(int);\nvoid b(int x y);\nstruct S { int q };\nvoid c(long);\nint d(unknown_t);\nvoid e(void);\n");
        assertThat(names(h)).containsExactly("a", "c", "e");
        assertThat(h.errors()).extracting(SyntaxException::diagnostic).containsExactly(
                "t.h:2:14: error: expected ')' before 'y'",
                "t.h:3:18: error: expected ';' before '}'",
                "t.h:5:7: error: a parameter list without types is only allowed in a function definition");
    }

    @Test
    void aBrokenLiteralOrCommentLosesOnlyWhatItCovers() {
        ParsedHeader quote = parse("void a(int);\n#define MSG don't\nvoid b(long);\n");
        assertThat(names(quote)).containsExactly("a", "b");
        assertThat(quote.errors()).extracting(SyntaxException::diagnostic).containsExactly("t.h:2:16: error: missing terminating ' character");
        ParsedHeader comment = parse("void a(int);\n  /* never closed\nvoid b(long);\n");
        assertThat(names(comment)).containsExactly("a");
        assertThat(comment.errors()).extracting(SyntaxException::diagnostic).containsExactly("t.h:2:3: error: unterminated /* comment");
        // Text a false conditional skips is not diagnosed (clang does not either).
        ParsedHeader skipped = parse("#if 0\nit's not C\n#endif\nvoid c(void);\n");
        assertThat(skipped.errors()).isEmpty();
        assertThat(names(skipped)).containsExactly("c");
    }

    @Test
    void errorsComeInSourceOrderAndDeclarationsAsTheyAreRead() {
        ParsedHeader h = parse("void x(int y z);\n#bogus\nvoid ok(void);\n#define F(a, b) a\nvoid F(int);\nvoid G(int);\n");
        assertThat(h.errors()).extracting(SyntaxException::diagnostic).containsExactly(
                "t.h:1:14: error: expected ')' before 'z'",
                "t.h:2:2: error: unknown preprocessing directive #bogus",
                "t.h:5:6: error: too few arguments provided to function-like macro invocation 'F'");
        assertThat(names(h)).containsExactly("ok", "G");
        List<String> seen = new java.util.ArrayList<>();
        List<SyntaxException> errors = HeaderParser.parse(X86, List.of(), List.of(new HeaderParser.Input("t.h", "void a(void); void b(int); int c;\nvoid d(long);\n", null)),
                f -> seen.add(f.name() + ":" + f.location().line()));
        assertThat(errors).isEmpty();
        assertThat(seen).containsExactly("a:1", "b:1", "d:2");
    }

    @Test
    void errorsAtEndOfInputAndInDirectivesHaveLocations() {
        assertThat(parse("void f(int").errors().get(0).diagnostic()).isEqualTo("t.h:1:11: error: expected ')' at end of input");
        assertThat(parse("#if 1\nvoid f(void);\n").errors().get(0).diagnostic()).contains("t.h:").contains("missing #endif");
        assertThat(parse("#include <sys/socket.h>\nvoid f(void);\n").errors().get(0).diagnostic())
                .startsWith("t.h:1:10: error: 'sys/socket.h' file not found");
        assertThat(parse("#endif\n").errors().get(0).diagnostic()).isEqualTo("t.h:1:2: error: #endif without #if");
        assertThat(parse("/* open").errors().get(0).diagnostic()).isEqualTo("t.h:1:1: error: unterminated /* comment");
        assertThat(names(parse("#include <sys/socket.h>\nvoid f(void);\n"))).containsExactly("f");
        assertThat(parse("void f(int (*)[(signed char) 200]);\n").errors().get(0).diagnostic()).isEqualTo("t.h:1:16: error: array size is negative");
        // values the type model refuses are errors at their attribute, in clang's words, never an exception
        ParsedHeader limits = parse("typedef int v __attribute__((vector_size(-16)));\ntypedef int w __attribute__((vector_size(0)));\n"
                + "void a(__attribute__((address_space(-1))) int *);\nvoid b(int * __attribute__((address_space(1))) __attribute__((address_space(2))));\n"
                + "typedef __attribute__((address_space(3))) int as3;\nvoid c(__attribute__((address_space(4))) as3 *);\nvoid e(int);\n");
        assertThat(limits.errors()).extracting(SyntaxException::diagnostic).containsExactly(
                "t.h:1:42: error: vector must have non-negative size", "t.h:2:30: error: zero vector size",
                "t.h:3:23: error: address space is negative", "t.h:4:63: error: multiple address spaces specified for type",
                "t.h:6:23: error: multiple address spaces specified for type");
        assertThat(names(limits)).containsExactly("e");
        ParsedHeader pragma = parse("_Pragma(x) void k(void);\nvoid m(void);\n");
        assertThat(pragma.errors().get(0).diagnostic()).isEqualTo("t.h:1:1: error: _Pragma takes a parenthesized string literal");
        assertThat(names(pragma)).containsExactly("m");
    }

    @Test
    void limitsGiveErrorsNotCrashes() {
        assertThat(parse("_BitInt(1) f(void);\nunsigned _BitInt(1) g(void);\n").errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:1:1: error: signed _BitInt must have a bit size of at least 2");
        assertThat(parse("unsigned _BitInt(0) f(void);").errors().get(0).diagnostic()).isEqualTo("t.h:1:1: error: unsigned _BitInt must have a bit size of at least 1");
        ParsedHeader deep = parse("void " + "(".repeat(5000) + "f(void);\nvoid g(void);\n");
        assertThat(deep.errors().get(0).diagnostic()).isEqualTo("t.h:1:262: error: declarator nested more than 256 levels deep");
        assertThat(names(deep)).containsExactly("g");
        assertThat(parse("#if " + "(".repeat(5000) + "1\n#endif\n").errors().get(0).diagnostic()).contains("constant expression nested too deeply");
        // pointers nest as parentheses do, and typedefs of typedefs deeper still: each was a StackOverflowError
        ParsedHeader stars = parse("void f(int " + "*".repeat(20_000) + "p);\nvoid g(void);\n");
        assertThat(stars.errors().get(0).diagnostic()).isEqualTo("t.h:1:267: error: declarator nested more than 256 levels deep");
        assertThat(names(stars)).containsExactly("g");
        StringBuilder chain = new StringBuilder("typedef int t0;\n");
        for (int i = 1; i < 20_000; i++) chain.append("typedef t").append(i - 1).append(" *t").append(i).append(";\n");
        ParsedHeader typedefs = parse(chain + "void f(t19999 p);\nvoid g(t200 p);\n");
        assertThat(typedefs.errors().get(0).diagnostic()).isEqualTo("t.h:257:15: error: type nested more than 512 levels deep through typedefs");
        assertThat(names(typedefs)).containsExactly("g");
        ParsedHeader records = parse("struct a { " + "struct { ".repeat(5000) + "int x; " + "} m; ".repeat(5000) + "};\nvoid g(void);\n");
        assertThat(records.errors().get(0).diagnostic()).startsWith("t.h:1:").endsWith(": error: struct or union nested more than 256 levels deep");
        assertThat(names(records)).containsExactly("g");
        // an expansion too large to hold leaves its declaration an error, not read without the macro's tokens (void f() for void f(X20))
        StringBuilder bomb = new StringBuilder("#define X0 int\n");
        for (int i = 1; i <= 24; i++) bomb.append("#define X").append(i).append(" X").append(i - 1).append(" X").append(i - 1).append('\n');
        ParsedHeader expanded = parse(bomb + "void f(X24);\nvoid g(X1);\n");
        assertThat(expanded.errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:26:8: error: macro expansion of 'X20' exceeds 1048576 tokens");
        assertThat(names(expanded)).containsExactly("g");
    }

    @Test
    void conditionalsDefinesAndDefined() {
        ParsedHeader h = parse("""
                #define WANT 2
                #if WANT > 1 && defined(__x86_64__) && !defined(_WIN32)
                void yes(void);
                #elif 1
                void no1(void);
                #else
                void no2(void);
                #endif
                #ifdef __LP64__
                void lp64(void);
                #endif
                #ifndef WANT
                void no3(void);
                #endif
                #define T long
                void t(T);
                """);
        assertThat(h.errors()).isEmpty();
        assertThat(names(h)).containsExactly("yes", "lp64", "t");
        assertThat(ClangEncoder.of(X86).encode(h.functions().get(2).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvlE");
    }

    @Test
    void includesSearchTheIncludingFolderThenDashI(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("inc"));
        Files.writeString(dir.resolve("a.h"), "#include \"b.h\"\n#include <c.h>\nvoid a(B, C);\n");
        Files.writeString(dir.resolve("b.h"), "#pragma once\ntypedef long B;\n");
        Files.writeString(dir.resolve("inc/c.h"), "#include \"b.h\"\ntypedef B *C;\n");
        ParsedHeader h = HeaderParser.parse(X86, List.of(dir.resolve("inc"), dir), List.of(HeaderParser.Input.of(dir.resolve("a.h"))));
        assertThat(h.errors()).isEmpty();
        assertThat(ClangEncoder.of(X86).encode(h.functions().get(0).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvlPlE");
    }

    @Test
    void functionLikeMacrosExpandAsInC() {
        // fixtures/c/macros.h compares the ids with clang's; here, what the expansions are
        ParsedHeader h = parse("""
                #define OF(args) args
                #define STR(x) #x
                #define CAT(a, b) a ## b
                #define VA(ret, name, ...) ret name(__VA_ARGS__)
                #if CAT(1, 0) == 10 && defined(OF)
                int CAT(f, 1) OF((long, char *));
                #endif
                VA(long, v, int, char *);
                __attribute__((cfi_salt(STR(a "b\\\\" c)))) void salted(void);
                """);
        assertThat(h.errors()).isEmpty();
        assertThat(names(h)).containsExactly("f1", "v", "salted");
        ClangEncoder encoder = ClangEncoder.of(X86);
        assertThat(h.functions()).extracting(f -> encoder.encode(f.type(), CfiMode.PLAIN).value())
                .containsExactly("_ZTSFilPcE", "_ZTSFliPcE", "_ZTSFvvE");
        // #x spells the argument as a literal (spacing kept, its literals' quotes and backslashes
        // escaped); the salt is that literal's value, the argument as written: a "b\\" c
        assertThat(h.functions().get(2).type().salt()).isEqualTo("a \"b\\\\\" c");
    }

    @Test
    void gnuSpellingsTheLinuxHeadersUse() {
        // each from Linux 6.1's headers, where clang-22 (gnu17) reads them without a word
        ParsedHeader h = parse("""
                #define DECL(ret, name, ...) ret name(int , ## __VA_ARGS__)
                #define PTR int /* a comment that
                   spans lines does not end the directive */ *
                typedef _Bool bool;
                DECL(void, none);
                DECL(long, some, bool, char *);
                void p(PTR, bool);
                """);
        assertThat(h.errors()).isEmpty();
        assertThat(names(h)).containsExactly("none", "some", "p");
        ClangEncoder encoder = ClangEncoder.of(X86);
        assertThat(h.functions()).extracting(f -> encoder.encode(f.type(), CfiMode.PLAIN).value())
                .containsExactly("_ZTSFviE", "_ZTSFlibPcE", "_ZTSFvPibE");
        // in gnu17 (clang-22's default) bool and typeof_unqual are names, not C23's keywords: clang
        // says "unknown type name 'bool'" and "type specifier missing" there
        ParsedHeader c23 = parse("void f(bool b);\nvoid g(typeof_unqual(const int) x);\nvoid h(__typeof_unqual__(const int) x);\n");
        assertThat(c23.errors()).extracting(e -> e.location().line() + ":" + e.location().column()).containsExactly("1:8", "2:8");
        assertThat(names(c23)).containsExactly("h");
    }

    @Test
    void anExpansionIsRescannedWithTheTokensAfterIt() {
        // Linux's jump_label.h: a pasted macro name inside one replacement, its arguments after it
        ParsedHeader h = parse("""
                #define ___PASTE(a, b) a##b
                #define __PASTE(a, b) ___PASTE(a, b)
                #define DECLARE_1(name) void name(int)
                #define DECLARE_0(name) void name(long)
                #define ENABLED(cfg) cfg
                #define MAYBE(cfg, name) __PASTE(DECLARE_, ENABLED(cfg))(name)
                MAYBE(1, on);
                MAYBE(0, off);
                #define self self
                #define again(x) x again
                void self(char);
                again(int) (short);
                """);
        assertThat(h.errors()).isEmpty();
        // a macro's name met inside its own replacement is never expanded, not even when an
        // invocation follows later: again(int) (short) is int again (short), as clang -E writes it
        assertThat(names(h)).containsExactly("on", "off", "self", "again");
        ClangEncoder encoder = ClangEncoder.of(X86);
        assertThat(h.functions()).extracting(f -> encoder.encode(f.type(), CfiMode.PLAIN).value())
                .containsExactly("_ZTSFviE", "_ZTSFvlE", "_ZTSFvcE", "_ZTSFisE");
    }

    @Test
    void directivesAmongMacroArgumentsAreObeyedExceptIncludes() {
        // Linux's skbuff.h: #ifdef lines among the members struct_group(…) is given
        ParsedHeader h = parse("""
                #define GROUP(...) struct { __VA_ARGS__ }
                #define ON 1
                typedef GROUP(
                #ifdef ON
                    long x;
                #else
                    char x;
                #endif
                #define LATER short
                ) group; void f(char (*)[sizeof(group)], LATER);
                #define ID(x) x
                ID(
                #include "other.h"
                void g(void);)
                void h(void);
                """);
        assertThat(h.errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:13:2: error: embedding a #include directive within macro arguments is not supported");
        assertThat(names(h)).containsExactly("f", "g", "h");
        assertThat(ClangEncoder.of(X86).encode(h.functions().get(0).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvPA8_csE");
    }

    @Test
    void badMacroInvocationsAreReportedWhereTheyAre() {
        assertThat(parse("#define F(a, b) a\nvoid g(F(int));\nvoid ok(void);\n").errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:2:8: error: too few arguments provided to function-like macro invocation 'F'");
        assertThat(parse("#define F(a) a\nvoid g(F(int, long));\n").errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:2:8: error: too many arguments provided to function-like macro invocation 'F'");
        assertThat(parse("#define F(a) a\nvoid g(F(int\n").errors()).extracting(SyntaxException::diagnostic)
                .contains("t.h:2:8: error: unterminated function-like macro invocation 'F'");
        assertThat(parse("#define F(a) # b\n").errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:1:14: error: '#' is not followed by a macro parameter");
        assertThat(parse("#define F(a) ## a\n").errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:1:14: error: '##' cannot appear at either end of a macro expansion");
        assertThat(parse("#define F(a, a) a\n").errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:1:14: error: duplicate macro parameter name 'a'");
        assertThat(parse("#define P(a, b) a ## b\nint P(+, -) x;\n").errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:2:5: error: pasting formed '+-', an invalid preprocessing token");
        // an expansion that doubles at every level stops with an error, not out of memory
        String doubling = "#define X(a) a a\nvoid g(int " + "X(".repeat(40) + "y" + ")".repeat(40) + ");\nvoid ok(void);\n";
        ParsedHeader blowUp = parse(doubling);
        assertThat(blowUp.errors()).extracting(SyntaxException::getMessage).anyMatch(m -> m.contains("exceeds 1048576 tokens"));
        assertThat(names(blowUp)).contains("ok");
        // macros that double into nothing never grow the output: bounded by the work, not the size
        StringBuilder empty = new StringBuilder("#define A0\n");
        for (int i = 1; i < 40; i++) empty.append("#define A").append(i).append(" A").append(i - 1).append(" A").append(i - 1).append('\n');
        ParsedHeader nothing = parse(empty + "void f(int A39);\nvoid ok(void);\n");
        assertThat(nothing.errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:41:12: error: macro expansion reads more than 16777216 replacement tokens (macros that expand into others too many times)");
        assertThat(names(nothing)).containsExactly("ok");
        // the declarations around a bad invocation are still read
        ParsedHeader h = parse("#define F(a, b) a\nvoid g(F(int));\nvoid ok(void);\n");
        assertThat(names(h)).contains("ok");
    }

    @Test
    void aConditionThatCannotBeEvaluatedCountsAsFalse() {
        // one error, and its #else/#endif still match: nothing after it is unbalanced
        ParsedHeader h = parse("#if 1 +\nvoid no(void);\n#else\nvoid yes(void);\n#endif\nvoid after(void);\n");
        assertThat(h.errors()).extracting(SyntaxException::diagnostic).hasSize(1).allMatch(d -> d.startsWith("t.h:1:"));
        assertThat(names(h)).containsExactly("yes", "after");
    }

    @Test
    void featureChecksAreAnswered(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("present.h"), "typedef long present_t;\n");
        ParsedHeader h = HeaderParser.parse(X86, List.of(dir), List.of(new HeaderParser.Input("t.h", """
                #define HAS_ATTRIBUTE(a) __has_attribute(a)
                #if __has_include(<stddef.h>) && __has_include("present.h") && !__has_include(<absent.h>)
                void includes(void);
                #endif
                #if defined(__has_attribute) && HAS_ATTRIBUTE(noreturn) && HAS_ATTRIBUTE(__cfi_salt__) && !HAS_ATTRIBUTE(bogus) \
                    && __has_builtin(__builtin_trap) && __has_builtin(__builtin_add_overflow) && !__has_builtin(__builtin_bogus) \
                    && !__has_feature(modules)
                void features(void);
                #endif
                #if __has_builtin(__builtin_cpu_init)
                void x86_only(void);
                #endif
                """, null)));
        assertThat(h.errors()).isEmpty();
        assertThat(names(h)).containsExactly("includes", "features", "x86_only");
        // clang's builtins per target: __builtin_cpu_init is x86's and RISC-V's, not ARM's
        assertThat(names(HeaderParser.parse(Target.of("aarch64-linux-gnu"), List.of(), List.of(new HeaderParser.Input("t.h",
                "#if __has_builtin(__builtin_cpu_init)\nvoid x86_only(void);\n#endif\nvoid any(void);\n", null))))).containsExactly("any");
    }

    @Test
    void includeNextSearchesTheFoldersAfterTheIncluder(@TempDir Path dir) throws IOException {
        // a wrapper header (first -I folder) includes the header it wraps (second folder) under the same name
        Files.createDirectories(dir.resolve("wrap"));
        Files.createDirectories(dir.resolve("real"));
        Files.writeString(dir.resolve("wrap/lib.h"), "#include_next <lib.h>\ntypedef lib_int wrapped_int;\n");
        Files.writeString(dir.resolve("real/lib.h"), "typedef long lib_int;\n");
        ParsedHeader h = HeaderParser.parse(X86, List.of(dir.resolve("wrap"), dir.resolve("real")),
                List.of(new HeaderParser.Input("t.h", "#include <lib.h>\nvoid f(wrapped_int);\n", null)));
        assertThat(h.errors()).isEmpty();
        assertThat(ClangEncoder.of(X86).encode(h.functions().get(0).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvlE");
    }

    @Test
    void bytesThatAreNotUtf8AreReadAsClangReadsThem(@TempDir Path dir) throws IOException {
        // Latin-1 é (0xE9) in comments, in the file and in the header it includes: clang reads both
        Files.write(dir.resolve("a.h"), bytes("/* caf\u00e9 */\n#include \"b.h\"\nvoid a(B);\n"));
        Files.write(dir.resolve("b.h"), bytes("// r\u00e9sum\u00e9\ntypedef long B;\n"));
        ParsedHeader h = HeaderParser.parse(X86, List.of(), List.of(HeaderParser.Input.of(dir.resolve("a.h"))));
        assertThat(h.errors()).isEmpty();
        assertThat(ClangEncoder.of(X86).encode(h.functions().get(0).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvlE");
        // in an identifier it is an error at its place, and the next declaration is still read
        Files.write(dir.resolve("c.h"), bytes("void caf\u00e9(long);\nvoid g(int);\n"));
        ParsedHeader c = HeaderParser.parse(X86, List.of(), List.of(HeaderParser.Input.of(dir.resolve("c.h"))));
        assertThat(c.errors()).singleElement().satisfies(e -> assertThat(e.location().toString()).endsWith("c.h:1:9"));
        assertThat(c.functions()).extracting(FunctionDeclaration::name).containsExactly("g");
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void standardHeadersArePerTarget() {
        String src = "#include <stddef.h>\n#include <stdint.h>\nvoid f(size_t, int64_t, wchar_t);\n";
        assertThat(ClangEncoder.of(Target.X86_64_WINDOWS_GNU).encode(
                HeaderParser.parse(Target.X86_64_WINDOWS_GNU, "w.h", src).functions().get(0).type(), CfiMode.PLAIN).value())
                .isEqualTo("_ZTSFvyxtE");
        assertThat(id(src)).isEqualTo("_ZTSFvmliE");
    }

    @Test
    void declaratorsAndAttributes() {
        assertThat(id("int (*returns_fp(void))(int);")).isEqualTo("_ZTSFPFiiEvE");
        assertThat(id("void f(int a[3], int b[][4], char (*c)[10]);")).isEqualTo("_ZTSFvPiPA4_iPA10_cE");
        assertThat(id("void __attribute__((ms_abi)) f(int);")).isEqualTo("_ZTSU6ms_abiFviE");
        assertThat(id("void f(void (__attribute__((ms_abi)) *)(int));")).isEqualTo("_ZTSFvPU6ms_abiFviEE");
        assertThat(id("typedef int v4si __attribute__((vector_size(16)));\nvoid f(v4si);")).isEqualTo("_ZTSFvDv4_iE");
        assertThat(id("void f(__attribute__((address_space(1))) int *);")).isEqualTo("_ZTSFvPU3AS1iE");
        assertThat(id("void f(int *__attribute__((noescape)));")).isEqualTo("_ZTSFvU8noescapePiE");
        assertThat(id("[[gnu::ms_abi]] void f(long);")).isEqualTo("_ZTSU6ms_abiFvlE");
        assertThat(id("int kr(a, b) int a; char *b; { return a; }")).isEqualTo("_ZTSFiiPcE");
        assertThat(id("typedef struct { int x; } T;\nvoid f(T *);")).isEqualTo("_ZTSFvP1TE");
        // clang's typeof spellings in every mode; the _unqual ones drop the qualifiers (as clang-22 encodes them)
        // a record defined in a bound, its ';'s and all (clang-22: _ZTSFvPA16_cE)
        assertThat(id("void f(char (*)[sizeof(struct { long x; char c; })]);")).isEqualTo("_ZTSFvPA16_cE");
        assertThat(id("void f(__typeof_unqual__(const int) *x);")).isEqualTo("_ZTSFvPiE");
        assertThat(id("void f(__typeof_unqual(const int) *x);")).isEqualTo("_ZTSFvPiE");
        assertThat(id("void f(__typeof(const int) *x);")).isEqualTo("_ZTSFvPKiE");
        assertThat(id("typedef union { int *i; long *l; } U __attribute__((transparent_union));\nvoid f(U);")).isEqualTo("_ZTSFvPiE");
    }

    /**
     * A type read from a header is printed as C spells it: tags with their keyword, a typedef-named
     * anonymous record by its name. Decoded from the id, the same type (it encodes to the same id)
     * prints its tags bare: the id has no struct/union/enum marker.
     */
    @Test
    void tagsArePrintedWithTheirKeywords() {
        ParsedHeader h = parse("""
                struct point { int x, y; };
                union u { int i; float f; };
                enum color { RED };
                typedef struct { int a; } anon_t;
                typedef struct point point_t;
                struct later;
                void draw(point_t *p, union u v, enum color c, anon_t *a, const struct later *l);
                """);
        assertThat(h.errors()).isEmpty();
        FunctionType draw = h.functions().getFirst().type();
        assertThat(CTypePrinter.print(draw)).isEqualTo("void (struct point *, union u, enum color, anon_t *, const struct later *)");
        String id = ClangEncoder.of(X86).encode(draw, CfiMode.PLAIN).value();
        assertThat(id).isEqualTo("_ZTSFvP5point1u5colorP6anon_tPK5laterE");
        FunctionType decoded = dev.xcfi.encoding.TypeIdDecoder.decode(id, X86).type();
        assertThat(ClangEncoder.of(X86).encode(decoded, CfiMode.PLAIN).value()).isEqualTo(id);
        assertThat(CTypePrinter.print(decoded)).isEqualTo("void (point *, u, color, anon_t *, const later *)");
    }

    /**
     * Declarations clang refuses have no id: arrays of an incomplete element type (void, an array
     * of unknown length, a tag declared but not defined at that point), of functions, or of a size
     * in bytes beyond size_t's bits (61 at most); restrict on what is not a pointer to an object;
     * _Atomic on an array, a function, an incomplete or (in parentheses) a qualified type; a
     * storage class other than register on a parameter; void as a named, qualified or second
     * parameter; '...' alone (clang's default is gnu17); _BitInt widths. xcfi gave most of them
     * ids. Measured against clang-22 -fsyntax-only on x86_64 and i686 (whose size_t has 32 bits):
     * the same errors, in clang's words, at the same lines and columns, and only those.
     */
    @Test
    void declarationsClangRefusesAreErrorsWhereClangSays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        String text = """
                struct Inc;
                union U;
                enum E;
                struct Later;
                struct Done { int x; };
                enum Fixed : short;
                typedef int F(void);
                void d1(struct Inc p[3]);
                void d2(struct Inc (*p)[]);
                void d3(void (*p)[3]);
                void d4(int (*p)[3][]);
                void d5(union U p[][2]);
                void d6(enum E (*p)[2]);
                void d7(struct Later (*p)[2]);
                struct Later { char c; };
                void ok1(struct Later (*p)[2], struct Done (*q)[4], enum Fixed (*r)[8], struct Inc *(*s)[2]);
                void big1(int (*p)[(1ULL << 61) / 4]);
                void ok2(int (*p)[(1ULL << 61) / 4 - 1]);
                void big2(char (*p)[1ULL << 61]);
                void ok3(char (*p)[(1ULL << 61) - 1]);
                void big3(struct Done (*p)[0x7fffffffffffffff]);
                void big4(int (*p)[0x40000000]);
                void ok4(char (*p)[0xffffffff]);
                void ok5(int (*p)[1][2][3], double (*q)[7]);
                typedef int *ip;
                typedef int *arr[3];
                typedef void V;
                void r1(restrict ip x, restrict arr y, int *restrict z, int w[restrict 3]);
                void r2(void (* restrict fp)(void));
                void r3(int restrict x);
                void r4(restrict int x);
                void s1(inline int x);
                void s2(auto int x);
                void s3(extern int x);
                void s4(_Thread_local int x);
                void s5(static int x);
                void s6(register int x, register int *y);
                void v1(int x, const void);
                void v2(volatile void);
                void v3(V);
                void v4(const V);
                void v5(void x);
                void v6(int, void);
                void v7(...);
                void v8(int, ...);
                void a1(_Atomic(void (*)(void)) x);
                void a2(_Atomic(int (void)) *x);
                void a3(_Atomic(const int) *x);
                void a4(_Atomic int *x);
                void a5(_Atomic(int[3]) *x);
                void a6(_Atomic(struct Inc) *x);
                void n1(int (*)[-1]);
                void n2(int x[-2][3]);
                typedef int N[-1];
                int (*n3(void))[-1];
                void f1(F (*p)[2]);
                void f2(int (*p)[2](void));
                void f3(F (*)[2]);
                int f4(void)[3];
                int (f5(void))(void);
                void b1(_BitInt(0) x);
                void b2(_BitInt(1) x);
                void b3(unsigned _BitInt(1) x);
                void b4(unsigned _BitInt(0) x);
                void b5(_BitInt(8388609) x);
                void b6(unsigned _BitInt(8388609) x);
                """;
        for (Target target : List.of(X86, Target.I686_LINUX_GNU)) {
            ParsedHeader parsed = HeaderParser.parse(target, "t.c", text);
            assertThat(parsed.errors()).extracting(SyntaxException::diagnostic).as(target.triple()).containsExactlyElementsOf(clangErrors(dir, target, text));
            assertThat(names(parsed)).as(target.triple()).contains("ok1", "ok4", "ok5", "r1", "s6", "v3", "v8", "a1", "a4", "b3")
                    .doesNotContain("d1", "d7", "big3", "r2", "s5", "v2", "v7", "a3", "n2", "f1", "b2");
            // 2^32 bytes: too large where size_t has 32 bits only
            assertThat(names(parsed).contains("big4")).as(target.triple()).isEqualTo(target == X86);
        }
    }

    /**
     * Names that are no types, as clang-22 reads them in gnu17: an unknown type name where what
     * follows cannot follow a declarator's name, else an implicit int (an error by default) pointed
     * at the declarator's name, a K&R identifier list at its first name, a member's or a type
     * name's own words; and C23's keywords are names. xcfi stops a declaration at its first error,
     * so each line's first error (clang may go on to more) is compared, with clang's default warnings.
     */
    @Test
    void namesThatAreNoTypesAreErrorsInClangsWordsAtClangsPlaces(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        String text = """
                typedef int T;
                int constexpr, alignof, thread_local, nullptr, static_assert;
                void k1(int alignas, int constexpr, int thread_local, int nullptr, int static_assert, int alignof);
                void k2(thread_local);
                void u1(unknown_t x);
                unknown_t u2(void);
                void u3(int, unknown_t *p);
                void u4(nullptr_t x);
                void u5(const unknown_t x);
                void u6(int, const foo7 *p);
                void u7(int, foo8 const x);
                void u8(int, register fooB x);
                void u9(int, fooZ __attribute__((unused)));
                typedef fooF G;
                unknown_t *u10;
                const foo6 *u11;
                _Atomic(fooX) *u12;
                void i1(int, bool);
                void i2(int, T, later);
                void i3(int, const later);
                void i4(int, foo (int));
                void i5(int, foo[3]);
                void i6(int, register fooA);
                void i7(struct s *p, unknown_t);
                void i8(int, const *p);
                void i9(int, const);
                void i10(int, *p);
                foo;
                extern foo2;
                static later(void);
                const foo5;
                const *p;
                static *q(void);
                typedef fooG;
                void w1(unknown_t);
                void w2(a, b);
                void w3(T a, b);
                void w4(int (*p)(unknown_t q));
                void e1(int, 3);
                struct m1 { memberless_t m; };
                struct m2 { fooD; };
                struct m3 { const fooE; };
                struct m4 { fooD[3]; };
                struct m5 { fooE : 3; };
                void ok(T nullptr_t, _Complex c);
                """;
        Map<Integer, String> clang = clangFirstErrors(dir, X86, text);
        ParsedHeader parsed = HeaderParser.parse(X86, "t.c", text);
        assertThat(errorsByLine(parsed)).isEqualTo(clang);
        assertThat(clang).hasSize(41);
        assertThat(names(parsed)).contains("k1", "ok").doesNotContain("u1", "i1", "w1", "e1");
    }

    /**
     * Machine modes and vector attributes clang refuses are its errors at its places (the first of
     * each line; LiveClangTest compares the ids of those it accepts on every target); a broken
     * typedef of a record is skipped to its ';' (the name after the '}' was read as a new
     * declaration); the __int128 keyword and __int128_t exist where the target has them, the type
     * everywhere (mode(TI)). The x87 and 128-bit float modes are not modelled: an error that says so.
     */
    @Test
    void machineModesAndVectorsClangRefusesAreItsErrors(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        String text = """
                struct s { int x; };
                typedef int a1 __attribute__((mode(XX)));
                typedef struct s a2 __attribute__((mode(DI)));
                typedef int a3 __attribute__((mode(SF)));
                typedef float a4 __attribute__((mode(DI)));
                typedef int e1 __attribute__((ext_vector_type(0)));
                typedef int e2 __attribute__((ext_vector_type(-1)));
                typedef struct s e3 __attribute__((ext_vector_type(2)));
                typedef struct s v1 __attribute__((vector_size(8)));
                typedef int v2 __attribute__((vector_size(-4)));
                typedef struct t { int y; } after __attribute__((mode(DI)));
                void ok1(int);
                void i1(__int128 x);
                void i2(int, unsigned __int128 x);
                void i3(int, __int128_t y);
                typedef int ti __attribute__((mode(TI)));
                void ok2(ti x, unsigned __attribute__((mode(TI))) y);
                """;
        for (Target target : List.of(X86, Target.I686_LINUX_GNU)) {
            Map<Integer, String> clang = clangFirstErrors(dir, target, text);
            ParsedHeader parsed = HeaderParser.parse(target, "t.c", text);
            assertThat(errorsByLine(parsed)).as(target.triple()).isEqualTo(clang);
            assertThat(clang).as(target.triple()).hasSize(target == X86 ? 10 : 13);
            assertThat(names(parsed)).as(target.triple()).contains("ok1", "ok2");
        }
        assertThat(parse("typedef float x __attribute__((mode(XF)));\n").errors()).extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:1:32: error: xcfi does not model machine mode 'XF'");
    }

    /**
     * Nullability specifiers (Apple's and Android's headers) are sugar no id spells, but clang refuses
     * them on a non-pointer and when two contradict: its errors at its places, on Darwin (blocks) and Linux.
     */
    @Test
    void nullabilityClangRefusesIsItsError(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        String text = """
                void n1(_Nullable int x);
                void n2(_Nonnull const char *s);
                void n3(int _Nullable x);
                typedef char *str;
                void n4(_Nullable str s, char *_Nonnull t, char *_Nullable _Nullable u);
                void n5(int *_Nullable p, int (^_Nonnull b)(void));
                void n6(int *_Nullable _Nonnull p);
                void n7(int _Nullable *p);
                void n8(int *_Null_unspecified *_Nullable_result p);
                """;
        for (Target target : List.of(Target.of("aarch64-apple-darwin"), X86)) {
            ParsedHeader parsed = HeaderParser.parse(target, "t.c", text);
            assertThat(errorsByLine(parsed)).as(target.triple()).isEqualTo(clangFirstErrors(dir, target, text));
            assertThat(names(parsed)).as(target.triple()).contains("n4", "n8").doesNotContain("n1", "n2", "n3", "n6", "n7");
        }
    }

    /** A target made {@link Target#withShortWchar} predefines what clang-22 -fshort-wchar does, macro for macro. */
    @Test
    void shortWcharPredefinesClangsMacros() throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        for (Target target : Target.known()) {
            Target shortWchar = target.withShortWchar();
            assertThat(StandardHeaders.predefined(shortWchar).lines().sorted().toList()).as(target.shortName())
                    .isEqualTo(dev.xcfi.encoding.golden.ClangOracle.predefinedMacros(shortWchar).lines().sorted().toList());
        }
        assertThat(X86.withShortWchar()).isNotEqualTo(X86);
        Target windows = Target.of("x86_64-windows-gnu");
        assertThat(windows.withShortWchar()).isSameAs(windows);
    }

    /**
     * The first of clang-22's errors on each line of {@code text} as a file t.c, with clang's default
     * warnings (implicit int is an error by default): xcfi stops a declaration at its first error.
     */
    private static Map<Integer, String> clangFirstErrors(Path dir, Target target, String text) throws IOException, InterruptedException {
        Map<Integer, String> first = new java.util.TreeMap<>();
        for (String l : clangErrors(dir, target, text, false)) first.putIfAbsent(Integer.parseInt(l.split(":")[1]), l);
        return first;
    }

    /** xcfi's errors by line, at most one per line. */
    private static Map<Integer, String> errorsByLine(ParsedHeader parsed) {
        Map<Integer, String> byLine = new java.util.TreeMap<>();
        for (SyntaxException e : parsed.errors()) assertThat(byLine.put(e.location().line(), e.diagnostic())).as("one error per line").isNull();
        return byLine;
    }

    /** clang-22's errors for {@code text} as a file t.c, in its order and words: {@code t.c:line:col: error: …}, warnings off. */
    private static List<String> clangErrors(Path dir, Target target, String text) throws IOException, InterruptedException {
        return clangErrors(dir, target, text, true);
    }

    /** {@link #clangErrors}, with clang's default warnings unless {@code noWarnings} (some are errors by default). */
    private static List<String> clangErrors(Path dir, Target target, String text, boolean noWarnings) throws IOException, InterruptedException {
        Path h = Files.writeString(dir.resolve("t.c"), text);
        List<String> cmd = new java.util.ArrayList<>(List.of("clang-22", "--target=" + target.triple(), "-fsyntax-only", "-ferror-limit=0",
                "-fno-caret-diagnostics", "-fno-color-diagnostics"));
        if (noWarnings) cmd.add("-Wno-everything");
        cmd.add(h.toString());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> clang = new String(p.getInputStream().readAllBytes()).lines().filter(l -> l.contains(": error: "))
                .map(l -> l.replace(h.toString(), "t.c")).toList();
        p.waitFor();
        return clang;
    }

    @Test
    void typeofOfAnExpressionClangRefusesIsAnErrorWhereClangSaysIt(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        String text = """
                long v; struct s { int m; } obj; int f(long); struct inc; struct inc *pi;
                void e1(typeof(undeclared) x);
                void e2(typeof(*v) x);
                void e3(typeof(obj.nope) x);
                void e4(typeof(v.x) x);
                void e5(typeof(v()) x);
                void e6(typeof(&1) *x);
                void e7(typeof(v[1]) x);
                void e8(typeof(({ 1; })) x);
                void e9(typeof(1 +) x);
                void e10(typeof(v->m) x);
                void e11(typeof(pi->m) x);
                void ok(typeof(obj.m) x, typeof(&f) g);
                void e12(typeof() x);
                void ok2(typeof(f) *h);
                void e13(char (*)[(typeof(undeclared)) 1]);
                """;
        for (Target target : List.of(X86, Target.I686_LINUX_GNU)) {
            ParsedHeader parsed = HeaderParser.parse(target, "t.c", text);
            assertThat(parsed.errors()).extracting(SyntaxException::diagnostic).as(target.triple()).containsExactlyElementsOf(clangErrors(dir, target, text));
            // each broken declaration is one error, and the declarations after it are read
            assertThat(names(parsed)).as(target.triple()).containsExactly("f", "ok", "ok2");
        }
    }

    @Test
    void typeofOfAnExpressionXcfiDoesNotTypeIsAnErrorAtItsPlaceNeverAGuess() {
        ParsedHeader h = parse("""
                int a[] = {[2] = 1};
                void g(typeof(a) *p);
                struct s { int m; };
                void h(typeof(__builtin_offsetof(struct s, m)) x);
                enum { BIG = 0x100000000 };
                void k(typeof(BIG) x);
                void l(typeof(L"w") *x);
                void m(typeof((struct s){0}) *x);
                void ok(typeof(1) x, typeof(a[0]) y);
                """);
        assertThat(h.errors()).extracting(SyntaxException::diagnostic).containsExactly(
                "t.h:2:15: error: xcfi does not type 'a' inside typeof: its array length is its initializer's, which xcfi does not count",
                "t.h:4:15: error: xcfi does not type '__builtin_offsetof' inside typeof",
                "t.h:6:15: error: xcfi does not type the type of enumerator 'BIG' (its value does not fit in int) inside typeof",
                "t.h:7:15: error: xcfi does not type a prefixed string literal inside typeof",
                "t.h:8:15: error: xcfi does not type a compound literal inside typeof");
        assertThat(names(h)).containsExactly("ok");
        assertThat(ClangEncoder.of(X86).encode(h.functions().get(0).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFviiE");
    }

    @Test
    void typeofSeesTheDeclarationsReadSinceTheFirstFileThatMentionsTypeof(@TempDir Path dir) throws IOException {
        // A kernel's first header (compiler_types.h) mentions typeof; a file that declares with it
        // sees everything from its own start on — here the main file and the header it includes.
        Files.writeString(dir.resolve("funcs.h"), "int handler(void *data, long arg);\n");
        Files.writeString(dir.resolve("main.h"), "#include \"funcs.h\"\nextern typeof(handler) tramp;\n");
        ParsedHeader kept = HeaderParser.parse(X86, List.of(dir), List.of(HeaderParser.Input.of(dir.resolve("main.h"))));
        assertThat(kept.errors()).isEmpty();
        assertThat(names(kept)).containsExactly("handler", "tramp");
        assertThat(ClangEncoder.of(X86).encode(kept.functions().get(1).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFiPvlE");
        // Declarations read before any file mentioned typeof were not kept (a large header's
        // types, kept to its end, cost its encoding a quarter more): an error that says so.
        Files.writeString(dir.resolve("late.h"), "extern typeof(handler) tramp;\nextern typeof(handler2) tramp2;\nint handler2(long);\n");
        Files.writeString(dir.resolve("main2.h"), "#include \"funcs.h\"\n#include \"late.h\"\n");
        ParsedHeader unkept = HeaderParser.parse(X86, List.of(dir), List.of(HeaderParser.Input.of(dir.resolve("main2.h"))));
        assertThat(unkept.errors()).extracting(SyntaxException::diagnostic).containsExactly(
                dir.resolve("late.h") + ":1:15: error: use of undeclared identifier 'handler' (or declared before the first file that mentions typeof: "
                        + "xcfi keeps declarations' types for typeof from there on)",
                dir.resolve("late.h") + ":2:15: error: use of undeclared identifier 'handler2' (or declared before the first file that mentions typeof: "
                        + "xcfi keeps declarations' types for typeof from there on)");
        assertThat(names(unkept)).containsExactly("handler", "handler2");
    }

    @Test
    void identifiersHoldWhatC11AllowsAndAnythingElseIsClangsError(@TempDir Path dir) throws Exception {
        dev.xcfi.encoding.golden.Compilers.requireClang();
        // fixtures/c/tricky.h compares the ids of such names with clang's; here, the characters
        String text = "int caf\u00e9(int);\nvoid \\u4e2d\\u6587(int \uD83D\uDE00);\nint bad\u00d7(int);\nint x\u0301y(int);\n"
                + "int \\u0041(int);\nvoid ok(int);\n/* caf\u00e9 \uD83D\uDE00 */ void \u00e9t\u00e9(int, void);\n";
        ParsedHeader parsed = HeaderParser.parse(X86, "t.c", text);
        assertThat(parsed.errors()).extracting(SyntaxException::diagnostic).containsExactlyElementsOf(clangErrors(dir, X86, text))
                .containsExactly("t.c:3:8: error: character <U+00D7> not allowed in an identifier",
                        "t.c:5:5: error: character 'A' cannot be specified by a universal character name", "t.c:5:5: error: expected identifier or '('",
                        // columns count UTF-8 bytes, as clang's do
                        "t.c:7:38: error: 'void' must be the first and only parameter if specified");
        assertThat(names(parsed)).containsExactly("caf\u00e9", "\u4e2d\u6587", "bad\u00d7", "x\u0301y", "ok");
    }

    @Test
    void prototypesFromStrings() {
        FunctionType f = HeaderParser.parsePrototype(X86, "int cmp(const void *, const void *)");
        assertThat(CTypePrinter.print(f)).isEqualTo("int (const void *, const void *)");
        assertThat(HeaderParser.parsePrototype(X86, "void (long)").parameters()).hasSize(1);
        assertThat(HeaderParser.parsePrototype(X86, "struct P { int x; }; void (struct P)").parameters()).hasSize(1);
        assertThat(HeaderParser.parsePrototype(X86, "void (__attribute__((ms_abi)) *)(int)").callingConvention()).isEqualTo(CallingConvention.WIN64);
        assertThatThrownBy(() -> HeaderParser.parsePrototype(X86, "void (long")).isInstanceOf(SyntaxException.class)
                .hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> HeaderParser.parsePrototype(X86, "long")).hasMessageContaining("not a function type");
    }

    @Test
    void aLengthXcfiCannotComputeIsNeverEncodedAsVariable() {
        // clang knows the size of a struct with a bit-field and spells it in the id; xcfi does not lay
        // such records out. The declaration stands (a parameter decays, as glibc's elf_gregset_t does
        // in <sys/procfs.h>); only an id that would spell the length is refused, rather than given as
        // variable ([*]).
        ParsedHeader h = parse("struct S { int a : 3; char b; };\ntypedef long regs_t[sizeof(struct S) / sizeof(long)];\n"
                + "void f(char (*)[sizeof(struct S)]);\nvoid g(regs_t);\nvoid h(int n, char (*)[n]);\nvoid k(char (*)[sizeof(long) + (unsigned char) 258]);\n");
        assertThat(h.errors()).isEmpty();
        assertThat(names(h)).containsExactly("f", "g", "h", "k");
        ClangEncoder clang = ClangEncoder.of(X86);
        assertThatThrownBy(() -> clang.encode(h.functions().get(0).type(), CfiMode.PLAIN))
                .hasMessage("the id spells an array length, sizeof(struct S), that xcfi cannot compute (it does not lay out records with bit-fields, packing or alignment attributes, nor vectors, _BitInt or _Atomic types)");
        assertThat(clang.encode(h.functions().get(0).type(), CfiMode.GENERALIZED).value()).isEqualTo("_ZTSFvPvE.generalized");
        assertThat(clang.encode(h.functions().get(1).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvPlE");
        assertThat(clang.encode(h.functions().get(2).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFviPA_cE");
        assertThat(clang.encode(h.functions().get(3).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvPA10_cE");
        // a packed enum takes the smallest type that holds its values, which xcfi does not model
        ParsedHeader packed = parse("enum __attribute__((packed)) P { P1 = 1 };\nvoid p(char (*)[sizeof(enum P)]);\n");
        assertThatThrownBy(() -> clang.encode(packed.functions().get(0).type(), CfiMode.PLAIN)).hasMessageContaining("sizeof(enum P)");
        // where a value is needed, it is an error at the sizeof
        assertThat(parse("struct S { int a : 3; };\ntypedef int v __attribute__((vector_size(sizeof(struct S))));\n").errors())
                .extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:2:42: error: xcfi cannot compute sizeof(struct S) (it does not lay out records with bit-fields, packing "
                        + "or alignment attributes, nor vectors, _BitInt or _Atomic types)");
    }

    @Test
    void anEnumeratorXcfiCannotComputeIsAnErrorOnlyWhereAnIdNeedsIt() {
        // Linux's GENMASK, as bits.h and build_bug.h spell it
        ParsedHeader h = parse("""
                #define BUILD_BUG_ON_ZERO(e) ((int)(sizeof(struct { int:(-!!(e)); })))
                #define __is_constexpr(x) (sizeof(int) == sizeof(*(8 ? ((void *)((long)(x) * 0l)) : (int *)8)))
                #define CHECK(h, l) (BUILD_BUG_ON_ZERO(__builtin_choose_expr(__is_constexpr((l) > (h)), (l) > (h), 0)))
                #define GENMASK(h, l) (CHECK(h, l) + ((~0UL - (1UL << (l)) + 1) & (~0UL >> (63 - (h)))))
                enum { ONE = 1, MASK = GENMASK(18, 16), AFTER, THREE = 3, USES_MASK = MASK | 1 };
                void known(char (*)[THREE], char (*)[__builtin_choose_expr(ONE, 2, 4)], char (*)[__builtin_choose_expr(0, 2, 4)]);
                void unknown(char (*)[AFTER]);
                void decays(char p[USES_MASK]);
                void folded(char (*)[__builtin_constant_p(1)]);
                void expression(char (*)[sizeof(ONE + 1)]);
                """);
        assertThat(h.errors()).isEmpty();
        ClangEncoder clang = ClangEncoder.of(X86);
        assertThat(clang.encode(h.functions().get(0).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvPA3_cPA2_cPA4_cE");
        assertThatThrownBy(() -> clang.encode(h.functions().get(1).type(), CfiMode.PLAIN))
                .hasMessageStartingWith("the id spells an array length, AFTER, that xcfi cannot compute (its value needs sizeof(struct { int : ( - ! ! (");
        assertThat(clang.encode(h.functions().get(2).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvPcE");
        assertThatThrownBy(() -> clang.encode(h.functions().get(3).type(), CfiMode.PLAIN))
                .hasMessage("the id spells an array length, __builtin_constant_p(1), that xcfi cannot compute (it evaluates no builtin but __builtin_choose_expr)");
        assertThatThrownBy(() -> clang.encode(h.functions().get(4).type(), CfiMode.PLAIN))
                .hasMessage("the id spells an array length, sizeof(ONE + 1), that xcfi cannot compute (it types no expression given to sizeof)");
        // where the value itself is needed, the shortfall is the error
        assertThat(parse("enum { M = __builtin_constant_p(1), N };\ntypedef int v __attribute__((vector_size(N * 4)));\n").errors())
                .extracting(SyntaxException::diagnostic)
                .containsExactly("t.h:2:42: error: xcfi cannot compute N (its value needs __builtin_constant_p(1), which xcfi cannot compute: "
                        + "it evaluates no builtin but __builtin_choose_expr)");
    }

    private static final String RECORDS = """
            struct S { int a; char b; };
            struct T { char c; double d; };
            union U { char c[5]; int i; };
            struct F { short n; int data[]; };
            struct __attribute__((packed)) P { char c; int i; };
            struct A { char c; _Alignas(16) int i; };
            void s(char (*)[sizeof(struct S)]);
            void t(char (*)[sizeof(struct T)], char (*)[_Alignof(struct T)]);
            void u(char (*)[sizeof(union U)]);
            void f(char (*)[sizeof(struct F)]);
            void p(char (*)[sizeof(struct P)]);
            void a(char (*)[_Alignof(struct A)]);
            """;

    /** The id of the i-th function of {@link #RECORDS} on {@code target}, or "error" where xcfi cannot spell it. */
    private static String recordId(Target target, int i) {
        ParsedHeader h = HeaderParser.parse(target, "t.h", RECORDS);
        assertThat(h.errors()).isEmpty();
        try {
            return ClangEncoder.of(target).encode(h.functions().get(i).type(), CfiMode.PLAIN).value();
        } catch (dev.xcfi.encoding.EncodingException e) {
            return "error";
        }
    }

    /** Natural layouts are computed (layouts.h's golden rows check them against clang on every target); the others are unknown, never guessed. */
    @Test
    void sizesAndAlignmentsOfRecordsAreClangsOrUnknown() {
        assertThat(recordId(X86, 0)).isEqualTo("_ZTSFvPA8_cE");
        assertThat(recordId(X86, 1)).isEqualTo("_ZTSFvPA16_cPA8_cE");
        assertThat(recordId(Target.I686_LINUX_GNU, 1)).as("i686 puts a double at 4").isEqualTo("_ZTSFvPA12_cPA4_cE");
        assertThat(recordId(X86, 2)).isEqualTo("_ZTSFvPA8_cE");
        assertThat(recordId(X86, 3)).as("a flexible array adds alignment, not size").isEqualTo("_ZTSFvPA4_cE");
        assertThat(recordId(X86, 4)).as("packed").isEqualTo("error");
        assertThat(recordId(X86, 5)).as("_Alignas").isEqualTo("error");
    }

    /** Each record is laid out once, as it is defined: a long chain of them costs no deep recursion, and one that holds itself has no layout. */
    @Test
    void longChainsOfRecordsAndARecordThatHoldsItself() {
        StringBuilder text = new StringBuilder("struct R0 { int a; };\n");
        for (int i = 1; i < 50_000; i++) text.append("struct R").append(i).append(" { struct R").append(i - 1).append(" m; char c; };\n");
        text.append("void f(char (*)[sizeof(struct R49999)]);\nstruct Self { int a; struct Self s; };\nvoid g(char (*)[sizeof(struct Self)]);\n");
        ParsedHeader h = HeaderParser.parse(X86, "t.h", text.toString());
        assertThat(h.errors()).isEmpty();
        ClangEncoder clang = ClangEncoder.of(X86);
        assertThat(clang.encode(h.functions().get(0).type(), CfiMode.PLAIN).value()).isEqualTo("_ZTSFvPA200000_cE");   // 4 + 4 a record
        assertThatThrownBy(() -> clang.encode(h.functions().get(1).type(), CfiMode.PLAIN)).hasMessageContaining("sizeof(struct Self)");
    }
}
