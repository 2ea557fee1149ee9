package dev.xcfi.verify.check;

import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.ModuleFlags;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;
import dev.xcfi.verify.facts.TypeTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a declaration's disagreement can trap: only through a check against the declared id (or
 * hash). Facts written by hand, so that each case differs from the next in one check; the programs
 * that confirm it by running are in {@link VerifyFixturesTest}.
 */
class LatentDeclarationTest {
    private static final String CLANG = "clang version 22.1.8", RUSTC = "LLVM22.1.2-rust-1.95.0-stable";
    private static final String C_LONG = "_ZTSFvlE", RUST_I64 = "_ZTSFvu3i64E";

    private static FunctionFacts function(String name, boolean definition, String id) {
        return new FunctionFacts(name, definition, FunctionFacts.Linkage.EXTERNAL, List.of(new TypeAttachment(0, new TypeIdRef.Named(id))),
                OptionalInt.empty(), "");
    }

    private static FunctionFacts kcfiFunction(String name, boolean definition, int hash) {
        return new FunctionFacts(name, definition, FunctionFacts.Linkage.EXTERNAL, List.of(), OptionalInt.of(hash), "void(i64)");
    }

    private static ModuleFacts module(String path, String producer, List<FunctionFacts> functions, List<String> tested) {
        List<TypeTest> tests = new ArrayList<>();
        for (String id : tested) tests.add(new TypeTest("caller", new TypeIdRef.Named(id), TypeTest.Kind.TYPE_TEST));
        List<FunctionFacts> all = new ArrayList<>(functions);
        all.add(function("caller", true, "_ZTSFvvE"));
        return new ModuleFacts(path, 0, producer, "x86_64-unknown-linux-gnu", ModuleFlags.NONE, all, tests, List.of(), List.of(), List.of(), List.of(), false);
    }

    private static final ModuleFlags KCFI = new ModuleFlags(true, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), false, false, false);

    private static ModuleFacts kcfiModule(String path, String producer, List<FunctionFacts> functions, List<Integer> checked) {
        List<KcfiCall> calls = new ArrayList<>();
        for (int hash : checked) calls.add(new KcfiCall("caller", hash, -1, "void(i64)"));
        List<FunctionFacts> all = new ArrayList<>(functions);
        all.add(kcfiFunction("caller", true, 0x1234));
        return new ModuleFacts(path, 0, producer, "x86_64-unknown-linux-gnu", KCFI, all, List.of(), calls, List.of(), List.of(), List.of(), false);
    }

    /** The declaration findings of {@code f}: rule id and severity. */
    private static List<String> declarationFindings(ModuleFacts... modules) {
        return Verifier.verify(List.of(modules)).stream().filter(f -> f.symbol().equals("c_log"))
                .map(f -> f.rule().id() + " " + f.rule().severity()).toList();
    }

    @Test
    void aDeclarationNoCheckTestsIsLatent() {
        ModuleFacts c = module("c.bc", CLANG, List.of(function("c_log", true, C_LONG)), List.of());
        ModuleFacts rust = module("rust.bc", RUSTC, List.of(function("c_log", false, RUST_I64)), List.of());
        assertThat(declarationFindings(c, rust)).containsExactly("latent-declaration-mismatch WARNING");
    }

    @Test
    void aCheckAgainstTheDeclaredIdAnywhereMakesItAnError() {
        ModuleFacts c = module("c.bc", CLANG, List.of(function("c_log", true, C_LONG)), List.of());
        ModuleFacts rust = module("rust.bc", RUSTC, List.of(function("c_log", false, RUST_I64)), List.of(RUST_I64));
        assertThat(declarationFindings(c, rust)).containsExactly("declaration-mismatch ERROR");
        // the check may be in any analysed module: a third one that calls through the declared type
        ModuleFacts other = module("other.bc", RUSTC, List.of(), List.of(RUST_I64));
        ModuleFacts quiet = module("rust.bc", RUSTC, List.of(function("c_log", false, RUST_I64)), List.of());
        assertThat(declarationFindings(c, quiet, other)).containsExactly("declaration-mismatch ERROR");
    }

    @Test
    void aCheckAgainstTheDefinedIdOnlyLeavesItLatent() {
        // calls through C's own type reach the definition, which carries that id: they pass
        ModuleFacts c = module("c.bc", CLANG, List.of(function("c_log", true, C_LONG)), List.of(C_LONG));
        ModuleFacts rust = module("rust.bc", RUSTC, List.of(function("c_log", false, RUST_I64)), List.of());
        assertThat(declarationFindings(c, rust)).containsExactly("latent-declaration-mismatch WARNING");
    }

    @Test
    void twoDeclarationsOfALibraryFunctionAreLatentUntilEitherIdIsChecked() {
        // no analysed module defines c_log: the link keeps one declaration's id, so a check against either can trap
        ModuleFacts c = module("c.bc", CLANG, List.of(function("c_log", false, C_LONG)), List.of());
        ModuleFacts rust = module("rust.bc", RUSTC, List.of(function("c_log", false, RUST_I64)), List.of());
        assertThat(declarationFindings(c, rust)).containsExactly("latent-declaration-mismatch WARNING");
        ModuleFacts checking = module("c.bc", CLANG, List.of(function("c_log", false, C_LONG)), List.of(C_LONG));
        assertThat(declarationFindings(checking, rust)).containsExactly("declaration-mismatch ERROR");
    }

    @Test
    void kcfiDeclarationsAreLatentUntilACallChecksTheDeclaredHash() {
        int cLong = 0xbde2bfc8, rustI64 = 0x0ffabd9f;
        ModuleFacts c = kcfiModule("c.o", CLANG, List.of(kcfiFunction("c_log", true, cLong)), List.of());
        ModuleFacts direct = kcfiModule("rust.bc", RUSTC, List.of(kcfiFunction("c_log", false, rustI64)), List.of());
        assertThat(declarationFindings(c, direct)).containsExactly("latent-declaration-mismatch WARNING");
        ModuleFacts passing = kcfiModule("rust.bc", RUSTC, List.of(kcfiFunction("c_log", false, rustI64)), List.of(rustI64));
        assertThat(declarationFindings(c, passing)).containsExactly("declaration-mismatch ERROR");
    }
}
