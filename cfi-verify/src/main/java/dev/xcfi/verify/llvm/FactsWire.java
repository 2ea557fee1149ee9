package dev.xcfi.verify.llvm;

import dev.xcfi.verify.facts.CallbackArgument;
import dev.xcfi.verify.facts.DebugType;
import dev.xcfi.verify.facts.DebugTypeWalk;
import dev.xcfi.verify.facts.FunctionFacts;
import dev.xcfi.verify.facts.KcfiCall;
import dev.xcfi.verify.facts.ModuleFacts;
import dev.xcfi.verify.facts.ModuleFlags;
import dev.xcfi.verify.facts.SourceLocation;
import dev.xcfi.verify.facts.StoredFunction;
import dev.xcfi.verify.facts.TypeAttachment;
import dev.xcfi.verify.facts.TypeIdRef;
import dev.xcfi.verify.facts.TypeTest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The worker's answer format: module facts as a compact binary stream (no JSON round trip per function). */
final class FactsWire {
    private FactsWire() {}

    static void write(DataOutputStream out, ModuleFacts m) throws IOException {
        string(out, m.path());
        out.writeInt(m.module());
        string(out, m.producer());
        string(out, m.triple());
        ModuleFlags f = m.flags();
        out.writeBoolean(f.kcfi());
        string(out, f.kcfiHash().orElse(null));
        optionalInt(out, f.kcfiOffset());
        optionalInt(out, f.kcfiArity());
        out.writeBoolean(f.normalizeIntegers());
        out.writeBoolean(f.crossDso());
        out.writeBoolean(f.canonicalJumpTables());
        out.writeInt(m.functions().size());
        for (FunctionFacts fn : m.functions()) {
            string(out, fn.name());
            out.writeBoolean(fn.definition());
            out.writeByte(fn.linkage().ordinal());
            out.writeInt(fn.typeIds().size());
            for (TypeAttachment t : fn.typeIds()) {
                out.writeLong(t.offset());
                ref(out, t.id());
            }
            optionalInt(out, fn.kcfiType());
            string(out, fn.signature());
            source(out, fn.source());
        }
        out.writeInt(m.typeTests().size());
        for (TypeTest t : m.typeTests()) {
            string(out, t.function());
            ref(out, t.id());
            out.writeByte(t.kind().ordinal());
            source(out, t.source());
        }
        out.writeInt(m.kcfiCalls().size());
        for (KcfiCall k : m.kcfiCalls()) {
            string(out, k.function());
            out.writeInt(k.hash());
            out.writeInt(k.parameter());
            string(out, k.signature());
            source(out, k.source());
        }
        out.writeInt(m.callbacks().size());
        for (CallbackArgument c : m.callbacks()) {
            string(out, c.function());
            string(out, c.callee());
            out.writeInt(c.argument());
            out.writeInt(c.arguments());
            string(out, c.passed());
            source(out, c.source());
        }
        out.writeInt(m.stored().size());
        for (StoredFunction s : m.stored()) {
            out.writeByte(s.kind().ordinal());
            string(out, s.holder());
            string(out, s.function());
            source(out, s.source());
        }
        out.writeInt(m.debugTypes().size());
        for (DebugType.Function t : m.debugTypes()) debugType(out, t, 0);
        out.writeBoolean(m.embedded());
    }

    static ModuleFacts read(DataInputStream in) throws IOException {
        String path = string(in);
        int module = in.readInt();
        String producer = string(in);
        String triple = string(in);
        ModuleFlags flags = new ModuleFlags(in.readBoolean(), Optional.ofNullable(string(in)), optionalInt(in), optionalInt(in),
                in.readBoolean(), in.readBoolean(), in.readBoolean());
        List<FunctionFacts> functions = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            String name = string(in);
            boolean definition = in.readBoolean();
            FunctionFacts.Linkage linkage = FunctionFacts.Linkage.of(in.readByte());
            List<TypeAttachment> types = new ArrayList<>();
            for (int k = count(in); k > 0; k--) types.add(new TypeAttachment(in.readLong(), ref(in)));
            functions.add(new FunctionFacts(name, definition, linkage, types, optionalInt(in), string(in), source(in)));
        }
        List<TypeTest> tests = new ArrayList<>();
        for (int i = count(in); i > 0; i--) tests.add(new TypeTest(string(in), ref(in), TypeTest.Kind.values()[in.readByte()], source(in)));
        List<KcfiCall> kcfi = new ArrayList<>();
        for (int i = count(in); i > 0; i--) kcfi.add(new KcfiCall(string(in), in.readInt(), in.readInt(), string(in), source(in)));
        List<CallbackArgument> callbacks = new ArrayList<>();
        for (int i = count(in); i > 0; i--) callbacks.add(new CallbackArgument(string(in), string(in), in.readInt(), in.readInt(), string(in), source(in)));
        List<StoredFunction> stored = new ArrayList<>();
        for (int i = count(in); i > 0; i--) stored.add(new StoredFunction(StoredFunction.Kind.values()[in.readByte()], string(in), string(in), source(in)));
        List<DebugType.Function> debugTypes = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            if (!(debugType(in, 0) instanceof DebugType.Function f)) throw new IOException("corrupt worker answer: a debug type that is not a function type");
            debugTypes.add(f);
        }
        return new ModuleFacts(path, module, producer, triple, flags, functions, tests, kcfi, callbacks, stored, debugTypes, in.readBoolean());
    }

    private static void debugType(DataOutputStream out, DebugType t, int depth) throws IOException {
        if (depth > DebugTypeWalk.MAX_DEPTH + 1) throw new IOException("debug type nested too deeply");
        switch (t) {
            case DebugType.None n -> out.writeByte(0);
            case DebugType.Basic b -> {
                out.writeByte(1);
                string(out, b.name());
                out.writeLong(b.bits());
            }
            case DebugType.Derived d -> {
                out.writeByte(2);
                out.writeInt(d.tag());
                string(out, d.name());
                debugType(out, d.base(), depth + 1);
            }
            case DebugType.Composite c -> {
                out.writeByte(3);
                out.writeInt(c.tag());
                string(out, c.name());
                debugType(out, c.element(), depth + 1);
                out.writeInt(c.counts().size());
                for (long n : c.counts()) out.writeLong(n);
                out.writeBoolean(c.vector());
            }
            case DebugType.Function f -> {
                out.writeByte(4);
                out.writeInt(f.types().size());
                for (DebugType p : f.types()) debugType(out, p, depth + 1);
            }
            case DebugType.Other o -> out.writeByte(5);
        }
    }

    private static DebugType debugType(DataInputStream in, int depth) throws IOException {
        if (depth > DebugTypeWalk.MAX_DEPTH + 1) throw new IOException("corrupt worker answer: debug type nested too deeply");
        return switch (in.readByte()) {
            case 0 -> DebugType.NONE;
            case 1 -> new DebugType.Basic(string(in), in.readLong());
            case 2 -> new DebugType.Derived(in.readInt(), string(in), debugType(in, depth + 1));
            case 3 -> {
                int tag = in.readInt();
                String name = string(in);
                DebugType element = debugType(in, depth + 1);
                List<Long> counts = new ArrayList<>();
                for (int k = count(in); k > 0; k--) counts.add(in.readLong());
                yield new DebugType.Composite(tag, name, element, counts, in.readBoolean());
            }
            case 4 -> {
                List<DebugType> types = new ArrayList<>();
                for (int k = count(in); k > 0; k--) types.add(debugType(in, depth + 1));
                yield new DebugType.Function(types);
            }
            case 5 -> DebugType.OTHER;
            default -> throw new IOException("corrupt worker answer: unknown debug type");
        };
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000_000) throw new IOException("corrupt worker answer: count " + n);
        return n;
    }

    private static void ref(DataOutputStream out, TypeIdRef ref) throws IOException {
        switch (ref) {
            case TypeIdRef.Named n -> {
                out.writeByte(0);
                string(out, n.id());
            }
            case TypeIdRef.Distinct d -> {
                out.writeByte(1);
                out.writeInt(d.node());
            }
            case TypeIdRef.CrossDso c -> {
                out.writeByte(2);
                out.writeLong(c.id());
            }
        }
    }

    private static TypeIdRef ref(DataInputStream in) throws IOException {
        return switch (in.readByte()) {
            case 0 -> new TypeIdRef.Named(string(in));
            case 1 -> new TypeIdRef.Distinct(in.readInt());
            case 2 -> new TypeIdRef.CrossDso(in.readLong());
            default -> throw new IOException("unknown type id reference in the worker's answer");
        };
    }

    private static void source(DataOutputStream out, SourceLocation s) throws IOException {
        string(out, s.directory());
        string(out, s.file());
        out.writeInt(s.line());
        out.writeInt(s.column());
    }

    private static SourceLocation source(DataInputStream in) throws IOException {
        String directory = string(in), file = string(in);
        int line = in.readInt(), column = in.readInt();
        return file == null || directory == null ? SourceLocation.NONE : SourceLocation.of(directory, file, line, column);
    }

    private static void optionalInt(DataOutputStream out, OptionalInt v) throws IOException {
        out.writeBoolean(v.isPresent());
        if (v.isPresent()) out.writeInt(v.getAsInt());
    }

    private static OptionalInt optionalInt(DataInputStream in) throws IOException {
        return in.readBoolean() ? OptionalInt.of(in.readInt()) : OptionalInt.empty();
    }

    static void string(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) return null;
        if (n < 0 || n > 1 << 28) throw new IOException("corrupt worker answer: string of " + n + " bytes");
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
