package dev.xcfi.types.rust;

import java.util.List;

/**
 * One predicate of a {@code dyn} type, in rustc's order within it: the principal trait, then
 * projections ({@code Assoc = T}), then auto traits. Each is a dictionary entry of its own.
 */
public sealed interface ExistentialPredicate {
    /** The principal trait with its arguments ({@code Self} is erased: arguments start after it). */
    record Trait(DefPath trait, List<GenericArg> args) implements ExistentialPredicate {
        public Trait {
            args = List.copyOf(args);
        }
    }

    /** {@code Item = term}, where {@code item} is the associated type's path ({@code FnOnce::Output}). */
    record Projection(DefPath item, List<GenericArg> args, RustType term) implements ExistentialPredicate {
        public Projection {
            args = List.copyOf(args);
        }
    }

    /** An auto trait: {@code Send}, {@code Sync}, … */
    record AutoTrait(DefPath trait) implements ExistentialPredicate {}
}
