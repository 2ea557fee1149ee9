package dev.xcfi.encoding.rust;

import dev.xcfi.types.rust.NonZero;
import dev.xcfi.types.rust.Abi;
import dev.xcfi.types.rust.Adt;
import dev.xcfi.types.rust.Alias;
import dev.xcfi.types.rust.DynTrait;
import dev.xcfi.types.rust.ExistentialPredicate;
import dev.xcfi.types.rust.RustStd;
import dev.xcfi.types.rust.ArrayType;
import dev.xcfi.types.rust.FnPointer;
import dev.xcfi.types.rust.FnSig;
import dev.xcfi.types.rust.Foreign;
import dev.xcfi.types.rust.GenericArg;
import dev.xcfi.types.rust.Param;
import dev.xcfi.types.rust.RawPointer;
import dev.xcfi.types.rust.Reference;
import dev.xcfi.types.rust.RustType;
import dev.xcfi.types.rust.Scalar;
import dev.xcfi.types.rust.Slice;
import dev.xcfi.types.rust.Tuple;

import java.util.StringJoiner;

/**
 * Prints Rust types and signatures in Rust syntax, keeping alias names ({@code c_long}), so a
 * report can show what was written next to what rustc encoded.
 */
public final class RustTypePrinter {
    private RustTypePrinter() {}

    public static String print(FnSig sig) {
        StringBuilder sb = new StringBuilder();
        if (sig.unsafe()) sb.append("unsafe ");
        if (sig.abi() != Abi.RUST) sb.append("extern \"").append(sig.abi().spelling()).append("\" ");
        StringJoiner params = new StringJoiner(", ", "fn(", ")");
        for (RustType t : sig.inputs()) params.add(print(t));
        if (sig.cVariadic()) params.add("...");
        sb.append(params);
        if (!(sig.output() instanceof Tuple t && t.isUnit())) sb.append(" -> ").append(print(sig.output()));
        return sb.toString();
    }

    // instanceof tests rather than a pattern switch: the JDK spins a class for each pattern switch
    // the first time it runs (1-5 ms, docs/performance.md), and every verify report prints types.
    public static String print(RustType t) {
        if (t instanceof Scalar s) return s.spelling();
        if (t instanceof Tuple tu) {
            StringJoiner j = new StringJoiner(", ", "(", tu.elements().size() == 1 ? ",)" : ")");
            for (RustType e : tu.elements()) j.add(print(e));
            return j.toString();
        }
        if (t instanceof ArrayType a) return "[" + print(a.element()) + "; " + (a.lengthParam() >= 0 ? "N" : a.length()) + "]";
        if (t instanceof Slice s) return "[" + print(s.element()) + "]";
        if (t instanceof RawPointer p) return (p.mutable() ? "*mut " : "*const ") + print(p.pointee());
        if (t instanceof Reference r) return (r.mutable() ? "&mut " : "&") + print(r.pointee());
        if (t instanceof FnPointer f) return print(f.sig());
        if (t instanceof Adt a) {
            StringBuilder sb = new StringBuilder(a.def().path().name());
            // Box<T, Global> as it is written: Box<T>
            if (a.def().path().equals(RustStd.BOX.path()) && a.args().size() == 2 && a.args().get(1) instanceof GenericArg.Type g
                    && g.type() instanceof Adt alloc && alloc.def().path().equals(RustStd.GLOBAL.path())) {
                return sb.append("<").append(a.args().getFirst() instanceof GenericArg.Type first ? print(first.type()) : "_").append(">").toString();
            }
            if (!a.args().isEmpty()) {
                StringJoiner j = new StringJoiner(", ", "<", ">");
                for (GenericArg g : a.args()) {
                    j.add(g instanceof GenericArg.Type ty ? print(ty.type()) : g instanceof GenericArg.Const k ? k.value() : "'_");
                }
                sb.append(j);
            }
            return sb.toString();
        }
        if (t instanceof Foreign f) return f.path().name();
        if (t instanceof Alias a) return a.name();
        if (t instanceof Param p) return p.name();
        if (t instanceof NonZero n) return "NonZero<" + n.integer().spelling() + ">";
        return dyn((DynTrait) t);   // the last kind of RustType
    }

    /** {@code dyn Trait<A> + Send}; the Fn family back in its sugar, {@code dyn Fn(i32) -> i32}. */
    private static String dyn(DynTrait d) {
        StringJoiner bounds = new StringJoiner(" + ", "dyn ", "");
        RustType output = null;
        for (ExistentialPredicate p : d.predicates()) {
            if (p instanceof ExistentialPredicate.Projection pr && pr.item().equals(RustStd.FN_ONCE_OUTPUT)) output = pr.term();
        }
        for (ExistentialPredicate p : d.predicates()) {
            switch (p) {
                case ExistentialPredicate.Trait t -> {
                    String name = t.trait().name();
                    boolean fnFamily = t.trait().equals(RustStd.FN) || t.trait().equals(RustStd.FN_MUT) || t.trait().equals(RustStd.FN_ONCE);
                    if (fnFamily && t.args().size() == 1 && t.args().get(0) instanceof GenericArg.Type ty) {
                        RustType in = ty.type();
                        String params = in instanceof Tuple tu ? String.join(", ", tu.elements().stream().map(RustTypePrinter::print).toList()) : print(in);
                        bounds.add(name + "(" + params + ")" + (output == null || output instanceof Tuple u && u.isUnit() ? "" : " -> " + print(output)));
                    } else {
                        StringJoiner args = new StringJoiner(", ", "<", ">");
                        for (GenericArg g : t.args()) if (g instanceof GenericArg.Type ty) args.add(print(ty.type()));
                        for (ExistentialPredicate q : d.predicates()) {
                            if (q instanceof ExistentialPredicate.Projection pr && !pr.item().equals(RustStd.FN_ONCE_OUTPUT)) {
                                args.add(pr.item().name() + " = " + print(pr.term()));
                            }
                        }
                        bounds.add(name + (args.length() > 2 ? args.toString() : ""));
                    }
                }
                case ExistentialPredicate.Projection pr -> { }
                case ExistentialPredicate.AutoTrait a -> bounds.add(a.trait().name());
            }
        }
        return bounds.toString();
    }
}
