package dev.xcfi.types.rust;

import java.util.List;

/** A struct, enum or union type: a definition with its generic arguments ({@code Option<&i32>}). */
public record Adt(AdtDef def, List<GenericArg> args) implements RustType {
    public Adt {
        args = List.copyOf(args);
    }

    public static Adt of(AdtDef def, RustType... typeArgs) {
        return new Adt(def, java.util.Arrays.stream(typeArgs).<GenericArg>map(GenericArg.Type::new).toList());
    }

    @Override
    public RustType resolved() {
        return new Adt(def, args.stream().map(a -> a instanceof GenericArg.Type t ? new GenericArg.Type(t.type().resolved()) : a).toList());
    }
}
