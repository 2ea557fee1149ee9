package dev.xcfi.verify.check;

import dev.xcfi.encoding.CfiMode;
import dev.xcfi.encoding.Compiler;
import dev.xcfi.encoding.KcfiHash;
import dev.xcfi.verify.facts.CallbackArgument;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * callback-mismatch: a function passed to a callee that calls it through a checked pointer of
 * another type — or that carries no id or hash at all, its module built without the sanitizer.
 */
final class CallbackMismatches {
    private final Program program;
    private final Sides sides;
    private final List<Finding> findings;
    /** Callee, passed function and parameter of each callback reported: one finding per pair, however many calls pass it. */
    private final Set<String> reported = new HashSet<>();
    // A callee takes many callbacks (SQLite registers hundreds through a few functions): what its id
    // says about a parameter is decoded once, not per call.
    private final Map<String, Optional<Integer>> parameters = new HashMap<>();
    private final Map<String, Optional<String>> expectedIds = new HashMap<>();

    private CallbackMismatches(Program program, Sides sides, List<Finding> findings) {
        this.program = program;
        this.sides = sides;
        this.findings = findings;
    }

    static void find(Program program, Sides sides, List<Finding> findings) {
        CallbackMismatches rule = new CallbackMismatches(program, sides, findings);
        for (ModuleFacts m : program.modules()) for (CallbackArgument cb : m.callbacks()) rule.check(m, cb);
    }

    private void check(ModuleFacts m, CallbackArgument cb) {
        Optional<Site> callee = program.site(cb.callee(), m), passed = program.site(cb.passed(), m);
        if (callee.isEmpty() || passed.isEmpty()) return;
        if (unhardened(cb, callee.get(), passed.get()) || kcfi(cb, callee.get(), passed.get())) return;
        for (CfiMode mode : program.testedModes()) {
            Optional<String> passedId = passed.get().id(mode);
            if (passedId.isEmpty()) continue;
            Optional<Expected> expected = expectedId(callee.get(), cb, mode);
            if (expected.isEmpty() || expected.get().id().equals(passedId.get())) continue;
            int parameter = expected.get().parameter();
            if (!firstReport(cb, parameter)) return;
            findings.add(sides.mismatch(Rule.CALLBACK_MISMATCH, cb.passed(),
                    passes(cb, "parameter " + (parameter + 1)) + ", which calls it through a pointer of type id " + expected.get().id() + ", but " + Sides.name(cb.passed())
                            + " carries " + passedId.get() + ": the call back traps",
                    callee.get(), side(expected.get(), callee.get(), cb), passed.get(), sides.id(passed.get().module(), passed.get().function().source(), "passed function", passedId.get()),
                    fix(cb, callee.get().isRust() == passed.get().isRust())));
            return;
        }
    }

    /**
     * "f passes g to h (argument 2)", and where the call is when the module has debug information:
     * the place to look for the cast (the call's own line, which after inlining is in the inlined
     * function's source, not f's).
     */
    private static String passes(CallbackArgument cb, String which) {
        return Sides.name(cb.function()) + " passes " + Sides.name(cb.passed()) + " to " + Sides.name(cb.callee()) + " (" + which
                + (cb.source().isKnown() ? ", the call at " + cb.source() : "") + ")";
    }

    /**
     * A function defined in a module built without CFI, passed to a callee that checks its call
     * through that parameter: the function carries no id and no hash, so no check can pass
     * ({@link Program#unhardened}). True when the callback is settled here (reported, or already reported).
     */
    private boolean unhardened(CallbackArgument cb, Site callee, Site passed) {
        Scheme checking = program.scheme(callee.module());
        if (!program.unhardened(checking, passed)) return false;
        boolean kcfi = checking == Scheme.KCFI;
        Sides.Side expected = null;
        String check = null;
        if (kcfi) {
            for (KcfiCall call : callsThrough(callee, cb)) {
                expected = sides.hash(call.source(), "callee argument " + (cb.argument() + 1) + " of " + cb.callee(), call.hash(), callee.module(),
                        call.signature());
                check = "with a KCFI check for " + Sides.hex(call.hash());
                break;
            }
        } else {
            for (CfiMode mode : program.testedModes()) {
                Optional<Expected> want = expectedId(callee, cb, mode);
                if (want.isEmpty()) continue;
                expected = side(want.get(), callee, cb);
                check = "through a pointer of type id " + want.get().id();
                break;
            }
        }
        if (expected == null) return false;
        if (!firstReport(cb, cb.argument())) return true;
        findings.add(new Finding(Rule.CALLBACK_MISMATCH, cb.passed(),
                passes(cb, "argument " + (cb.argument() + 1)) + ", which calls it " + check
                        + ", but " + Sides.name(cb.passed()) + " is defined in a module built without " + checking.label() + " and carries no "
                        + checking.carried() + ": the call back traps",
                List.of(expected.location(), new Finding.Location(passed.where(), "passed function", "", "built without " + checking.label(), passed.function().source())),
                Sides.rebuild(cb.passed(), checking)));
        return true;
    }

    /**
     * KCFI: the callee's own body says which hash its call through that parameter checks (the
     * {@code kcfi} bundle on a call of the parameter), so no id has to be decoded. True for every
     * callback to a KCFI callee: ids are not compared then.
     */
    private boolean kcfi(CallbackArgument cb, Site callee, Site passed) {
        if (!callee.module().flags().kcfi() || passed.function().kcfiType().isEmpty()) return false;
        int carried = passed.function().kcfiType().getAsInt();
        List<KcfiCall> calls = callsThrough(callee, cb);
        if (calls.isEmpty()) kept(cb, callee, passed, carried);
        for (KcfiCall call : calls) {
            if (call.hash() == carried) continue;
            if (!firstReport(cb, cb.argument())) return true;
            findings.add(sides.mismatch(Rule.CALLBACK_MISMATCH, cb.passed(), passes(cb, "argument " + (cb.argument() + 1)) + ", which calls it with a KCFI check for " + Sides.hex(call.hash()) + ", but " + Sides.name(cb.passed()) + " carries "
                            + Sides.hex(carried) + ": the call back traps",
                    callee, sides.hash(call.source(), "callee argument " + (cb.argument() + 1) + " of " + cb.callee(), call.hash(), callee.module(), call.signature()),
                    passed, passedHash(passed, carried),
                    fix(cb, callee.isRust() == passed.isRust())));
            return true;
        }
        return true;
    }

    /**
     * KCFI, a callee that keeps the callback rather than calling it (a registration:
     * {@code set_handler(h)} stores it for a call made later, elsewhere): when the callee's own
     * hash is named ({@link KcfiNames}), its type says which function pointer type the callback is
     * taken as, and so which hash a call through it checks.
     */
    private void kept(CallbackArgument cb, Site callee, Site passed, int carried) {
        if (!callee.function().definition() || callee.function().kcfiType().isEmpty()) return;
        Optional<KcfiNames.HashedId> named = sides.hashedIdOf(callee.function().kcfiType().getAsInt(), callee.module(), callee.function().signature());
        if (named.isEmpty()) return;
        Optional<Expected> expected = expectedFrom(named.get().id(), callee, cb);
        if (expected.isEmpty()) return;
        int hash = (named.get().fnv() ? KcfiHash.FNV1A : KcfiHash.XXHASH64).hash(expected.get().id());
        if (hash == carried || !firstReport(cb, expected.get().parameter())) return;
        findings.add(sides.mismatch(Rule.CALLBACK_MISMATCH, cb.passed(),
                passes(cb, "parameter " + (expected.get().parameter() + 1)) + ", whose type takes it as a pointer of type id " + expected.get().id()
                        + ", so a call through it checks KCFI hash " + Sides.hex(hash) + ", but " + Sides.name(cb.passed()) + " carries " + Sides.hex(carried)
                        + ": the call back traps",
                callee, side(expected.get(), callee, cb),
                passed, passedHash(passed, carried),
                fix(cb, callee.isRust() == passed.isRust())));
    }

    /** The passed function's side under KCFI: the hash it carries. */
    private Sides.Side passedHash(Site passed, int carried) {
        return sides.hash(passed.function().source(), "passed function", carried, passed.module(), passed.function().signature());
    }

    private boolean firstReport(CallbackArgument cb, int parameter) {
        return reported.add(cb.callee() + "\u0000" + cb.passed() + "\u0000" + parameter);
    }

    /** The id a cfi-icall callee's call through a callback's parameter tests, and which id parameter that is. */
    private record Expected(int parameter, String id) {}

    /** In {@code mode}: decoded from the callee's own id, once per callee id and parameter. */
    private Optional<Expected> expectedId(Site callee, CallbackArgument cb, CfiMode mode) {
        // generalized ids have no function pointers left: the callee's ungeneralized id (modules carry both) says which
        Optional<String> calleeId = callee.id(mode.generalizePointers() ? CfiMode.of(mode.normalizeIntegers(), false) : mode);
        return calleeId.isEmpty() ? Optional.empty() : expectedFrom(calleeId.get(), callee, cb, mode);
    }

    /** From the callee's id {@code id} (its own, or the one its KCFI hash was found to be the hash of), in the id's mode. */
    private Optional<Expected> expectedFrom(String id, Site callee, CallbackArgument cb) {
        return expectedFrom(id, callee, cb, CfiMode.ofSuffixes(id));
    }

    /** The same, the expected id encoded in {@code mode}. */
    private Optional<Expected> expectedFrom(String id, Site callee, CallbackArgument cb, CfiMode mode) {
        Compiler writer = Site.writer(callee.module());
        Optional<Integer> parameter = parameters.computeIfAbsent(writer.ordinal() + id + '\0' + cb.arguments() + '\0' + cb.argument(), k -> parameterOf(id, writer, cb));
        if (parameter.isEmpty()) return Optional.empty();
        Optional<String> expected = expectedIds.computeIfAbsent(writer.ordinal() + id + '\0' + parameter.get() + '\0' + mode.label(),
                k -> sides.explain().expectedCallbackId(id, writer, parameter.get(), mode));
        return expected.map(e -> new Expected(parameter.get(), e));
    }

    /** The expected id as a finding shows it: the callee's parameter, decoded (only for findings: decoding is cold code). */
    private Sides.Side side(Expected e, Site callee, CallbackArgument cb) {
        return sides.id(callee.module(), callee.function().source(), "callee parameter " + (e.parameter() + 1) + " of " + cb.callee(), e.id());
    }

    /**
     * Which id parameter IR argument {@code cb.argument()} is. They coincide when the counts agree;
     * otherwise (a Rust slice is two IR arguments, an sret pointer one more) only a lone
     * function-pointer parameter is certain.
     */
    private Optional<Integer> parameterOf(String calleeId, Compiler writer, CallbackArgument cb) {
        Optional<Integer> count = sides.explain().parameterCount(calleeId, writer);
        if (count.isPresent() && count.get() == cb.arguments()) return Optional.of(cb.argument());
        List<Integer> pointers = sides.explain().functionPointerParameters(calleeId, writer);
        return pointers.size() == 1 ? Optional.of(pointers.get(0)) : Optional.empty();
    }

    /** The KCFI-checked calls a callee makes through the callback's parameter (the kcfi bundles its body has there). */
    private static List<KcfiCall> callsThrough(Site callee, CallbackArgument cb) {
        List<KcfiCall> calls = new ArrayList<>(1);
        for (KcfiCall call : callee.module().kcfiCalls()) if (call.function().equals(cb.callee()) && call.parameter() == cb.argument()) calls.add(call);
        return calls;
    }

    /**
     * The repair of a callback whose type differs from the pointer it is called through; within one
     * language the usual cause is a cast where it is passed, which the check does not see.
     */
    private static String fix(CallbackArgument cb, boolean sameLanguage) {
        String fix = "give " + Sides.name(cb.passed()) + " exactly the parameter and return types of the function pointer " + Sides.name(cb.callee()) + " expects";
        return sameLanguage ? fix + " (a cast where it is passed does not change the id the call checks), or pass a wrapper of that type that calls it" : fix;
    }
}
