package dev.xcfi.encoding.rust;

import dev.xcfi.types.rust.Abi;
import dev.xcfi.types.rust.Adt;
import dev.xcfi.types.rust.Alias;
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

    public static String print(RustType t) {
        return switch (t) {
            case Scalar s -> s.spelling();
            case Tuple tu -> {
                StringJoiner j = new StringJoiner(", ", "(", tu.elements().size() == 1 ? ",)" : ")");
                for (RustType e : tu.elements()) j.add(print(e));
                yield j.toString();
            }
            case ArrayType a -> "[" + print(a.element()) + "; " + (a.lengthParam() >= 0 ? "N" : a.length()) + "]";
            case Slice s -> "[" + print(s.element()) + "]";
            case RawPointer p -> (p.mutable() ? "*mut " : "*const ") + print(p.pointee());
            case Reference r -> (r.mutable() ? "&mut " : "&") + print(r.pointee());
            case FnPointer f -> print(f.sig());
            case Adt a -> {
                StringBuilder sb = new StringBuilder(a.def().path().name());
                if (!a.args().isEmpty()) {
                    StringJoiner j = new StringJoiner(", ", "<", ">");
                    for (GenericArg g : a.args()) {
                        j.add(switch (g) {
                            case GenericArg.Type ty -> print(ty.type());
                            case GenericArg.Lifetime l -> "'_";
                            case GenericArg.Const k -> k.value();
                        });
                    }
                    sb.append(j);
                }
                yield sb.toString();
            }
            case Foreign f -> f.path().name();
            case Alias a -> a.name();
            case Param p -> p.name();
        };
    }
}
