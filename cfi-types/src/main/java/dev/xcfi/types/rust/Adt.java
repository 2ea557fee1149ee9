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
        for (GenericArg a : args) {
            if (a instanceof GenericArg.Type t && t.type().resolved() != t.type()) {
                return new Adt(def, args.stream().map(g -> g instanceof GenericArg.Type ty ? new GenericArg.Type(ty.type().resolved()) : g).toList());
            }
        }
        return this;
    }
}
